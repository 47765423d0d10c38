package io.frameflow.operators.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.postprocess.Candidate;
import io.frameflow.operators.postprocess.Nms;
import io.frameflow.operators.preprocess.BoxMapper;
import io.frameflow.operators.preprocess.InputGeometry;
import io.frameflow.records.Detection;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ORT session plus everything around it: decode and preprocess ({@link #prepare}, thread-safe,
 * meant for worker threads) and batched inference with output decoding ({@link #infer}, one caller
 * at a time: the batcher's thread). Plain Java, usable without Flink.
 *
 * <p>Hot-path buffers are reused: pooled per-frame workspaces (OpenCV mats, a direct input buffer),
 * one direct batch buffer, and pinned direct output buffers per batch size that ORT writes into.
 */
public final class DetectorEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorEngine.class);

    private final DetectorConfig config;
    private final ModelProfile profile;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo info;
    private final float scoreThreshold;
    private final float iouThreshold;
    private final boolean[] keepClass;
    private final int maxBatch;
    private final WorkspacePool pool;
    private final FloatBuffer batchInput;
    private final PinnedOutputs[] outputsByBatch;

    private DetectorEngine(DetectorConfig config, int subtaskIndex) {
        this.config = config;
        SessionLoader.LoadedSession loaded = SessionLoader.load(config, subtaskIndex);
        this.session = loaded.session();
        this.env = OrtEnvironment.getEnvironment();
        try {
            ModelSignature sig = ModelSignature.of(config.modelPath(), session);
            this.profile = FormatResolver.resolve(sig, config);
            this.scoreThreshold =
                    Float.isNaN(config.scoreThreshold())
                            ? profile.format().defaultScore
                            : config.scoreThreshold();
            this.iouThreshold =
                    Float.isNaN(config.iouThreshold())
                            ? profile.format().defaultIou
                            : config.iouThreshold();
            this.keepClass = classFilter(config, profile);
            this.maxBatch = profile.dynamicBatch() ? config.maxBatch() : 1;
            int poolSize = 2 * maxBatch + config.effectivePreprocessThreads() + 1;
            this.pool = new WorkspacePool(poolSize, () -> new FrameWorkspace(profile));
            this.batchInput =
                    maxBatch > 1
                            ? ByteBuffer.allocateDirect(
                                            maxBatch * profile.inputItemSize() * Float.BYTES)
                                    .order(ByteOrder.nativeOrder())
                                    .asFloatBuffer()
                            : null;
            this.outputsByBatch = new PinnedOutputs[maxBatch + 1];
            String name = modelName(config.modelPath());
            String shape =
                    Arrays.toString(
                            new long[] {
                                profile.dynamicBatch() ? -1 : 1,
                                3,
                                profile.inputHeight(),
                                profile.inputWidth()
                            });
            this.info =
                    new ModelInfo(
                            name,
                            config.modelPath(),
                            profile.format(),
                            loaded.device(),
                            loaded.provider(),
                            shape,
                            loaded.loadMs(),
                            maxBatch,
                            loaded.fallbackWarning());
            LOG.info(
                    "Loaded model {} (format {}, input {} {}) on {} via {} in {} ms; max batch {},"
                            + " score > {}, NMS IoU {}, {} intra-op thread(s), subtask {}",
                    name,
                    profile.format().cliName(),
                    profile.inputName(),
                    shape,
                    loaded.device(),
                    loaded.provider(),
                    loaded.loadMs(),
                    maxBatch,
                    scoreThreshold,
                    iouThreshold,
                    config.effectiveIntraOpThreads(loaded.device().startsWith("cuda")),
                    subtaskIndex);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(
                    "Cannot inspect model " + config.modelPath() + ": " + e.getMessage(), e);
        }
    }

    /** Opens the model on the configured device; start-up errors are exceptions with advice. */
    public static DetectorEngine open(DetectorConfig config) {
        return new DetectorEngine(config, 0);
    }

    /** As {@link #open(DetectorConfig)}; the subtask index picks the GPU when several exist. */
    public static DetectorEngine open(DetectorConfig config, int subtaskIndex) {
        return new DetectorEngine(config, subtaskIndex);
    }

    /**
     * Loads the model once on the CPU, resolves and checks its format, labels and class filter, and
     * closes it: lets a job fail at submission (not on the TaskManager) for a missing model, a
     * format mismatch or an unknown class name.
     */
    public static ModelInfo probe(DetectorConfig config) {
        try (DetectorEngine engine = new DetectorEngine(config.withDevice("cpu"), 0)) {
            return engine.info();
        }
    }

    public ModelInfo info() {
        return info;
    }

    public ModelProfile profile() {
        return profile;
    }

    public DetectorConfig config() {
        return config;
    }

    /** Frames per ORT call: the configured max batch, or 1 for fixed-batch models. */
    public int maxBatch() {
        return maxBatch;
    }

    public float scoreThreshold() {
        return scoreThreshold;
    }

    /**
     * Decodes and preprocesses one frame into a pooled input buffer. Thread-safe; blocks while all
     * workspaces are waiting for inference.
     */
    public PreparedFrame prepare(byte[] image) throws UndecodableImageException {
        long start = System.nanoTime();
        FrameWorkspace ws;
        try {
            ws = pool.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a workspace", e);
        }
        try {
            InputGeometry fit0 = null;
            ImageDecoder.Decoded d;
            // the decoder needs the size the resize step will produce; estimate it from the header
            ImageInfo header = ImageProbe.header(image);
            if (header != null) {
                fit0 =
                        profile.preprocess()
                                .fit(
                                        (int) header.width(),
                                        (int) header.height(),
                                        profile.inputWidth(),
                                        profile.inputHeight());
            }
            d =
                    ws.decoder.decode(
                            image,
                            header,
                            fit0 == null ? Integer.MAX_VALUE : fit0.width(),
                            fit0 == null ? Integer.MAX_VALUE : fit0.height());
            InputGeometry g = ws.writer.write(d.image(), ws.input, 0);
            BoxMapper mapper =
                    BoxMapper.of(
                            g,
                            d.image().cols(),
                            d.image().rows(),
                            d.originalWidth(),
                            d.originalHeight());
            return new PreparedFrame(ws, mapper, System.nanoTime() - start);
        } catch (UndecodableImageException | RuntimeException e) {
            pool.release(ws);
            throw e;
        }
    }

    /**
     * Runs one ORT call over the frames (at most {@link #maxBatch()}) and decodes each frame's
     * outputs. Releases the frames' workspaces. Not thread-safe: one caller (the batcher thread).
     */
    public List<FrameResult> infer(List<PreparedFrame> frames) throws OrtException {
        int n = frames.size();
        try {
            if (n == 0 || n > maxBatch) {
                throw new IllegalArgumentException(
                        "batch of " + n + " frames; this model takes 1.." + maxBatch);
            }
            frames.forEach(PreparedFrame::consume);
            int item = profile.inputItemSize();
            FloatBuffer input;
            if (n == 1) {
                input = frames.get(0).workspace.input;
                input.clear();
            } else {
                batchInput.clear();
                for (int i = 0; i < n; i++) {
                    batchInput.put(i * item, frames.get(i).workspace.input, 0, item);
                }
                batchInput.limit(n * item);
                input = batchInput;
            }
            long[] shape = {n, 3, profile.inputHeight(), profile.inputWidth()};
            PinnedOutputs outputs = outputsFor(n);
            long runStart = System.nanoTime();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
                    OrtSession.Result ignored =
                            session.run(Map.of(profile.inputName(), tensor), outputs.tensors)) {
                // results are in the pinned buffers
            }
            long runNanos = System.nanoTime() - runStart;
            List<FrameResult> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long postStart = System.nanoTime();
                PreparedFrame f = frames.get(i);
                List<Detection> dets = decode(outputs.buffers, i, f.mapper);
                results.add(
                        new FrameResult(
                                f.width(),
                                f.height(),
                                dets,
                                f.prepareNanos,
                                runNanos,
                                System.nanoTime() - postStart,
                                n));
            }
            return results;
        } finally {
            for (PreparedFrame f : frames) {
                pool.release(f.workspace);
            }
        }
    }

    /** Returns a prepared frame's workspace without running it (e.g. when shutting down). */
    public void discard(PreparedFrame frame) {
        frame.consume();
        pool.release(frame.workspace);
    }

    /** Decode, preprocess, run and postprocess one frame on the calling thread. */
    public synchronized FrameResult detect(byte[] image)
            throws UndecodableImageException, OrtException {
        return infer(List.of(prepare(image))).get(0);
    }

    private List<Detection> decode(FloatBuffer[] outputs, int item, BoxMapper mapper) {
        List<Candidate> candidates = new ArrayList<>();
        profile.decoder().decode(outputs, item, scoreThreshold, candidates);
        List<Candidate> kept =
                Nms.suppress(candidates, iouThreshold, profile.format().classAwareNms);
        List<Detection> out = new ArrayList<>(kept.size());
        List<String> labels = profile.labels();
        for (Candidate c : kept) {
            if (keepClass != null && (c.classId() >= keepClass.length || !keepClass[c.classId()])) {
                continue;
            }
            float[] lm = null;
            if (c.landmarks() != null) {
                lm = new float[c.landmarks().length];
                for (int k = 0; k < lm.length; k += 2) {
                    lm[k] = mapper.x(c.landmarks()[k]);
                    lm[k + 1] = mapper.y(c.landmarks()[k + 1]);
                }
            }
            String label =
                    c.classId() < labels.size() ? labels.get(c.classId()) : "class" + c.classId();
            out.add(
                    new Detection(
                            label,
                            c.classId(),
                            c.score(),
                            mapper.x(c.x1()),
                            mapper.y(c.y1()),
                            mapper.x(c.x2()),
                            mapper.y(c.y2()),
                            lm));
        }
        return out;
    }

    private PinnedOutputs outputsFor(int n) throws OrtException {
        PinnedOutputs p = outputsByBatch[n];
        if (p == null) {
            p = new PinnedOutputs(n);
            outputsByBatch[n] = p;
        }
        return p;
    }

    /** Direct buffers ORT writes the outputs of an n-frame batch into, wrapped as tensors. */
    private final class PinnedOutputs implements AutoCloseable {
        final FloatBuffer[] buffers;
        final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

        PinnedOutputs(int n) throws OrtException {
            List<String> names = profile.outputNames();
            buffers = new FloatBuffer[names.size()];
            for (int i = 0; i < names.size(); i++) {
                long[] itemShape = profile.outputItemShapes().get(i);
                long[] shape = new long[itemShape.length + 1];
                shape[0] = n;
                System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
                buffers[i] =
                        ByteBuffer.allocateDirect(n * profile.outputItemSize(i) * Float.BYTES)
                                .order(ByteOrder.nativeOrder())
                                .asFloatBuffer();
                tensors.put(names.get(i), OnnxTensor.createTensor(env, buffers[i], shape));
            }
        }

        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private static boolean[] classFilter(DetectorConfig config, ModelProfile profile) {
        if (config.classFilter().isEmpty()) {
            return null;
        }
        List<String> labels = profile.labels();
        boolean[] keep = new boolean[labels.size()];
        for (String wanted : config.classFilter()) {
            int id = labels.indexOf(wanted.trim());
            if (id < 0) {
                throw new IllegalArgumentException(
                        "--classes '"
                                + wanted
                                + "' is not a label of "
                                + config.modelPath()
                                + " (labels: "
                                + String.join(", ", labels.subList(0, Math.min(10, labels.size())))
                                + (labels.size() > 10 ? ", ..." : "")
                                + ")");
            }
            keep[id] = true;
        }
        return keep;
    }

    static String modelName(String path) {
        String file = Path.of(path).getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            LOG.debug("closing session", e);
        }
    }

    /** Frees the session and native buffers. Call after the batcher has stopped. */
    @Override
    public synchronized void close() {
        for (PinnedOutputs p : outputsByBatch) {
            if (p != null) {
                p.close();
            }
        }
        pool.close();
        closeQuietly(session);
    }
}
