package io.frameflow.operators.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.preprocess.BoxMapper;
import io.frameflow.operators.preprocess.InputGeometry;
import io.frameflow.records.Detection;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model: encoded frames in, detections out. Wraps the ORT session ({@link SessionLoader}), the
 * format's {@link ModelProfile} ({@link FormatResolver}), decode and preprocess ({@link #prepare},
 * thread-safe, meant for worker threads) and batched inference with output decoding ({@link
 * #infer}, one caller at a time: the batcher's thread). Plain Java, usable without Flink.
 *
 * <p>Hot-path buffers are reused: pooled per-frame workspaces (OpenCV mats, a direct input buffer),
 * one direct batch buffer, and one set of pinned direct output buffers, sized for the largest
 * batch, that ORT writes every batch size into.
 */
public final class Detector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);

    /**
     * How long {@link #close()} waits for native calls in progress: far longer than a batch runs,
     * well within Flink's task cancellation timeout (180 s by default).
     */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final DetectorSettings settings;
    private final ModelProfile profile;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo info;
    private final DetectionMapper detections;
    private final int maxBatch;
    private final WorkspacePool pool;
    private final FloatBuffer batchInput;
    private final OutputBuffers outputs;
    private final LongAdder decodes = new LongAdder();
    private final NativeGate gate;

    /** Test hook: runs on the inference thread just before each ORT call; null = none. */
    private volatile Runnable beforeRun;

    private Detector(DetectorSettings settings, int subtaskIndex) {
        this.settings = settings;
        this.gate = new NativeGate("detector " + settings.modelName());
        SessionLoader.LoadedSession loaded = SessionLoader.load(settings, subtaskIndex);
        this.session = loaded.session();
        this.env = OrtEnvironment.getEnvironment();
        try {
            ModelSignature sig = ModelSignature.of(settings.model().toString(), session);
            this.profile = FormatResolver.resolve(sig, settings.format(), settings.labels());
            this.detections = new DetectionMapper(profile, settings);
            this.maxBatch = profile.dynamicBatch() ? settings.maxBatch() : 1;
            int poolSize = 2 * maxBatch + settings.preprocessThreads() + 1;
            this.pool = new WorkspacePool(poolSize, () -> new FrameWorkspace(profile));
            this.batchInput =
                    maxBatch > 1
                            ? ByteBuffer.allocateDirect(
                                            maxBatch * profile.inputItemSize() * Float.BYTES)
                                    .order(ByteOrder.nativeOrder())
                                    .asFloatBuffer()
                            : null;
            this.outputs = new OutputBuffers(env, profile, maxBatch);
            this.info = info(loaded);
            LOG.info(
                    "Loaded model {} (version {}, format {}, input {} {}) on {} via {} in {} ms;"
                            + " max batch {}, score > {}, NMS IoU {}, {} intra-op thread(s),"
                            + " subtask {}",
                    info.name(),
                    info.version(),
                    profile.format().cliName(),
                    profile.inputName(),
                    info.inputShape(),
                    loaded.device(),
                    loaded.provider(),
                    loaded.loadMs(),
                    maxBatch,
                    detections.scoreThreshold(),
                    detections.iouThreshold(),
                    settings.intraOpThreads(loaded.device().startsWith("cuda")),
                    subtaskIndex);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(
                    "Cannot inspect model " + settings.model() + ": " + e.getMessage(), e);
        }
    }

    /** Opens the model on the configured device; start-up errors are exceptions with advice. */
    public static Detector open(DetectorSettings settings) {
        return new Detector(settings, 0);
    }

    /** As {@link #open(DetectorSettings)}; the subtask index picks the GPU when several exist. */
    public static Detector open(DetectorSettings settings, int subtaskIndex) {
        return new Detector(settings, subtaskIndex);
    }

    /**
     * Loads the model once on the CPU, resolves and checks its format, labels and class filter, and
     * closes it: lets a job fail at submission (not in a restart loop on the TaskManagers) for a
     * corrupt model, a format mismatch or an unknown class name.
     */
    public static ModelInfo probe(DetectorSettings settings) {
        try (Detector detector =
                new Detector(settings.toBuilder().device(DeviceSpec.CPU).build(), 0)) {
            return detector.info();
        }
    }

    public ModelInfo info() {
        return info;
    }

    public ModelProfile profile() {
        return profile;
    }

    public DetectorSettings settings() {
        return settings;
    }

    /** Frames per ORT call: the configured max batch, or 1 for fixed-batch models. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Decodes and preprocesses one frame into a pooled input buffer. Thread-safe; blocks while all
     * workspaces are waiting for inference.
     */
    public PreparedFrame prepare(byte[] image) throws UndecodableImageException {
        try {
            return prepare(image, Long.MAX_VALUE);
        } catch (FrameExpiredException e) {
            throw new AssertionError("no deadline, yet expired", e);
        }
    }

    /**
     * As {@link #prepare(byte[])}, but a frame whose deadline ({@code deadlineMs}, ms since epoch)
     * passed while it waited for a workspace is not decoded: under overload that wait is where
     * frames grow old, and decoding one nobody waits for any more only delays the next.
     *
     * @throws FrameExpiredException when the deadline passed before decoding
     */
    public PreparedFrame prepare(byte[] image, long deadlineMs)
            throws UndecodableImageException, FrameExpiredException {
        long start = System.nanoTime();
        FrameWorkspace ws;
        try {
            ws = pool.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a workspace", e);
        }
        long late = System.currentTimeMillis() - deadlineMs;
        if (late > 0) {
            pool.release(ws);
            throw new FrameExpiredException("decoding", late);
        }
        try {
            gate.enter();
        } catch (IllegalStateException closed) {
            pool.release(ws);
            throw closed;
        }
        try {
            decodes.increment();
            BoxMapper mapper = decodeInto(ws, image);
            return new PreparedFrame(ws, mapper, System.nanoTime() - start);
        } catch (UndecodableImageException | RuntimeException e) {
            pool.release(ws);
            throw e;
        } finally {
            gate.exit();
        }
    }

    /** Decodes the image into the workspace's input tensor; frees oversized buffers after. */
    private BoxMapper decodeInto(FrameWorkspace ws, byte[] image) throws UndecodableImageException {
        try {
            // the decoder needs the size the resize step will produce; estimate it from the header
            InputGeometry fit = null;
            ImageInfo header = ImageProbe.header(image);
            if (header != null) {
                fit =
                        profile.preprocess()
                                .fit(
                                        (int) header.width(),
                                        (int) header.height(),
                                        profile.inputWidth(),
                                        profile.inputHeight());
            }
            ImageDecoder.Decoded d =
                    ws.decoder.decode(
                            image,
                            header,
                            fit == null ? Integer.MAX_VALUE : fit.width(),
                            fit == null ? Integer.MAX_VALUE : fit.height());
            InputGeometry g = ws.writer.write(d.image(), ws.input, 0);
            return BoxMapper.of(
                    g, d.image().cols(), d.image().rows(), d.originalWidth(), d.originalHeight());
        } finally {
            ws.trim(); // before the workspace can go back to the pool
        }
    }

    /**
     * Runs one ORT call over the frames (at most {@link #maxBatch()}) and decodes each frame's
     * outputs. Releases the frames' workspaces. Not thread-safe: one caller (the batcher thread).
     */
    public List<FrameResult> infer(List<PreparedFrame> frames) throws OrtException {
        gate.enter(); // no ORT call on a session that close() may free
        int n = frames.size();
        int taken = 0; // frames whose workspace this call returns (not one that ran already)
        try {
            for (PreparedFrame f : frames) {
                f.consume();
                taken++;
            }
            if (n == 0 || n > maxBatch) {
                throw new IllegalArgumentException(
                        "batch of " + n + " frames; this model takes 1.." + maxBatch);
            }
            FloatBuffer input = batchInput(frames);
            long[] shape = {n, 3, profile.inputHeight(), profile.inputWidth()};
            OutputBuffers.Pinned out = outputs.forBatch(n);
            Runnable hook = beforeRun;
            if (hook != null) {
                hook.run();
            }
            long runStart = System.nanoTime();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
                    OrtSession.Result ignored =
                            session.run(Map.of(profile.inputName(), tensor), out.tensors)) {
                // results are in the pinned buffers
            }
            long runNanos = System.nanoTime() - runStart;
            List<FrameResult> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long postStart = System.nanoTime();
                PreparedFrame f = frames.get(i);
                List<Detection> dets = detections.detections(out.buffers, i, f.mapper);
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
            for (int i = 0; i < taken; i++) {
                pool.release(frames.get(i).workspace);
            }
            gate.exit();
        }
    }

    /** A single frame's own buffer needs no copy; a batch is copied into the batch buffer. */
    private FloatBuffer batchInput(List<PreparedFrame> frames) {
        if (frames.size() == 1) {
            FloatBuffer input = frames.get(0).workspace.input;
            input.clear();
            return input;
        }
        int item = profile.inputItemSize();
        batchInput.clear();
        for (int i = 0; i < frames.size(); i++) {
            batchInput.put(i * item, frames.get(i).workspace.input, 0, item);
        }
        batchInput.limit(frames.size() * item);
        return batchInput;
    }

    /** Frames whose decoding has started so far. */
    long decodes() {
        return decodes.sum();
    }

    /** Sets the test hook run just before each ORT call (e.g. to hold a run on a latch). */
    void beforeRun(Runnable hook) {
        this.beforeRun = hook;
    }

    /** Native bytes the pinned output buffers hold (for tests of the memory bound). */
    long outputBytesHeld() {
        return outputs.bytesHeld();
    }

    /**
     * Returns a prepared frame's workspace without running it (e.g. when shutting down); does
     * nothing for a frame that already ran or was discarded, so failure paths may call it freely.
     */
    public void discard(PreparedFrame frame) {
        if (frame.drop()) {
            pool.release(frame.workspace);
        }
    }

    /** Decode, preprocess, run and postprocess one frame on the calling thread. */
    public synchronized FrameResult detect(byte[] image)
            throws UndecodableImageException, OrtException {
        return infer(List.of(prepare(image))).get(0);
    }

    private ModelInfo info(SessionLoader.LoadedSession loaded) {
        String shape =
                Arrays.toString(
                        new long[] {
                            profile.dynamicBatch() ? -1 : 1,
                            3,
                            profile.inputHeight(),
                            profile.inputWidth()
                        });
        return new ModelInfo(
                settings.modelName(),
                settings.model().toString(),
                profile.format(),
                loaded.device(),
                loaded.provider(),
                shape,
                loaded.loadMs(),
                maxBatch,
                loaded.fallbackWarning(),
                ModelInfo.versionOf(settings.model()));
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            LOG.debug("closing session", e);
        }
    }

    /**
     * Refuses new work, waits up to {@link #CLOSE_WAIT} for the decodes and the ORT call in
     * progress, and frees the session and native buffers. Never frees them under a running native
     * call: one still running after the wait frees them when it ends (logged).
     */
    @Override
    public void close() {
        close(CLOSE_WAIT);
    }

    /**
     * As {@link #close()} with another bound on the wait.
     *
     * @return true when freed on return, false when a native call still running will free them
     */
    boolean close(Duration wait) {
        boolean freed = gate.close(wait, this::free);
        if (!freed) {
            LOG.warn(
                    "Closing model {}: a native call still runs after {} ms; its session and"
                            + " buffers are freed when it ends",
                    info.name(),
                    wait.toMillis());
        }
        return freed;
    }

    /** Whether the session and native buffers have been freed. */
    boolean freed() {
        return gate.freed();
    }

    private void free() {
        outputs.close();
        pool.close();
        closeQuietly(session);
    }
}
