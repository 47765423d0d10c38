package io.frameflow.operators.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.postprocess.Candidate;
import io.frameflow.operators.postprocess.Nms;
import io.frameflow.operators.preprocess.InputGeometry;
import io.frameflow.operators.preprocess.TensorWriter;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Throughput of the inference engine against a hand-written loop doing the same work, on the same
 * frames, in one run (not a test: figures depend on the machine). Run with:
 *
 * <pre>
 * mvn -B -o -q -pl operators -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.frameflow.operators.inference.InferenceBenchmark \
 *   -Dexec.args="yolox_nano.onnx yunet_n_dynamic.onnx"
 * </pre>
 *
 * For each model and round (rounds alternate, so background load hits all variants alike): raw
 * {@code session.run} over pre-built tensors; the tight loop (decode, preprocess, run, decode
 * outputs + NMS, sequentially on one thread, simplest correct code); and the engine ({@link
 * CrossCameraBatcher}: preprocessing thread(s) + batcher, at most 16 frames in flight like the
 * Flink async capacity). All use the same ORT intra-op thread count.
 */
public final class InferenceBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int PASSES = Integer.getInteger("bench.passes", 2);
    private static final int IN_FLIGHT = 16;

    public static void main(String[] args) throws Exception {
        List<String> models =
                args.length > 0
                        ? Arrays.asList(args)
                        : List.of("yolox_nano.onnx", "yunet_n_dynamic.onnx");
        List<byte[]> frames = new ArrayList<>();
        for (GroundTruth row : GroundTruth.load()) {
            frames.add(row.bytes());
        }
        int intra = Integer.getInteger("bench.intraOp", 0);
        int prep = Integer.getInteger("bench.preprocess", 0);
        System.out.printf(
                "%d frames (ground_truth.csv images + frames) x %d passes, %d rounds, %d cores%n",
                frames.size(), PASSES, ROUNDS, Runtime.getRuntime().availableProcessors());
        for (String model : models) {
            DetectorSettings config =
                    DetectorSettings.forModel(TestFrames.model(model))
                            .device("cpu")
                            .threads(intra, prep)
                            .batching(8, java.time.Duration.ofMillis(2))
                            .build();
            bench(model, config, frames);
        }
    }

    private static void bench(String model, DetectorSettings config, List<byte[]> frames)
            throws Exception {
        System.out.printf(
                "%n## %s (ORT intra-op threads %d, preprocess threads %d, max batch %d, delay %d ms)%n",
                model,
                config.intraOpThreads(false),
                config.preprocessThreads(),
                config.maxBatch(),
                config.maxBatchDelay().toMillis());
        System.out.println(
                "| round | raw session.run f/s | tight loop f/s | engine f/s | engine/tight |"
                        + " engine batch sizes | engine latency p50/p99 ms | inferenceMs p50/p99 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            double raw = raw(config, frames);
            double tight = tightLoop(config, frames);
            EngineFigures e = engine(config, frames);
            double ratio = e.fps / tight;
            ratios.add(ratio);
            System.out.printf(
                    "| %d | %.1f | %.1f | %.1f | %.2f | %s | %.1f / %.1f | %.1f / %.1f |%n",
                    round, raw, tight, e.fps, ratio, e.batches, e.p50, e.p99, e.infP50, e.infP99);
        }
        ratios.sort(Double::compare);
        System.out.printf(
                "median engine/tight ratio for %s: %.2f%n", model, ratios.get(ratios.size() / 2));
    }

    /** session.run only, over tensors built once. */
    private static double raw(DetectorSettings config, List<byte[]> frames) throws Exception {
        try (Detector engine = Detector.open(config)) {
            ModelProfile p = engine.profile();
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            List<OnnxTensor> tensors = new ArrayList<>();
            for (byte[] f : frames) {
                PreparedFrame pf = engine.prepare(f);
                FloatBuffer copy =
                        ByteBuffer.allocateDirect(p.inputItemSize() * 4)
                                .order(ByteOrder.nativeOrder())
                                .asFloatBuffer();
                copy.put(0, pf.workspace.input, 0, p.inputItemSize());
                engine.discard(pf);
                tensors.add(
                        OnnxTensor.createTensor(
                                env, copy, new long[] {1, 3, p.inputHeight(), p.inputWidth()}));
            }
            OrtSession session = SessionLoader.load(config, 0).session();
            try {
                for (int i = 0; i < 5; i++) {
                    session.run(Map.of(p.inputName(), tensors.get(i))).close();
                }
                long start = System.nanoTime();
                for (int pass = 0; pass < PASSES; pass++) {
                    for (OnnxTensor t : tensors) {
                        session.run(Map.of(p.inputName(), t)).close();
                    }
                }
                return fps(tensors.size() * PASSES, start);
            } finally {
                session.close();
                tensors.forEach(OnnxTensor::close);
            }
        }
    }

    /** Decode, preprocess, run, decode outputs and NMS, one frame after the other. */
    private static double tightLoop(DetectorSettings config, List<byte[]> frames) throws Exception {
        ModelProfile p;
        try (Detector engine = Detector.open(config)) {
            p = engine.profile();
        }
        OrtSession session = SessionLoader.load(config, 0).session();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int w = p.inputWidth();
        int h = p.inputHeight();
        FloatBuffer input =
                ByteBuffer.allocateDirect(p.inputItemSize() * 4)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        float score = p.format().layout().defaultScore();
        long checksum = 0;
        try (ImageDecoder decoder = new ImageDecoder();
                TensorWriter writer = new TensorWriter(p.preprocess(), w, h)) {
            long start = 0;
            int total = 0;
            for (int pass = -1; pass < PASSES; pass++) {
                if (pass == 0) {
                    start = System.nanoTime();
                }
                List<byte[]> these = pass < 0 ? frames.subList(0, 5) : frames;
                for (byte[] f : these) {
                    ImageInfo hd = ImageProbe.header(f);
                    InputGeometry fit =
                            p.preprocess().fit((int) hd.width(), (int) hd.height(), w, h);
                    ImageDecoder.Decoded d = decoder.decode(f, fit.width(), fit.height());
                    writer.write(d.image(), input, 0);
                    try (OnnxTensor t =
                                    OnnxTensor.createTensor(env, input, new long[] {1, 3, h, w});
                            OrtSession.Result r = session.run(Map.of(p.inputName(), t))) {
                        FloatBuffer[] outs = new FloatBuffer[p.outputNames().size()];
                        for (int i = 0; i < outs.length; i++) {
                            outs[i] =
                                    ((OnnxTensor) r.get(p.outputNames().get(i)).get())
                                            .getFloatBuffer();
                        }
                        List<Candidate> c = new ArrayList<>();
                        p.decoder().decode(outs, 0, score, c);
                        checksum +=
                                Nms.suppress(
                                                c,
                                                p.format().layout().defaultIou(),
                                                p.format().layout().classAwareNms())
                                        .size();
                    }
                    if (pass >= 0) {
                        total++;
                    }
                }
            }
            double fps = fps(total, start);
            if (checksum < 0) {
                System.out.println(checksum);
            }
            return fps;
        } finally {
            session.close();
        }
    }

    private record EngineFigures(
            double fps, String batches, double p50, double p99, double infP50, double infP99) {}

    private static EngineFigures engine(DetectorSettings config, List<byte[]> frames)
            throws Exception {
        Histogram batchSizes = new Histogram(1, 64, 2);
        Histogram latencyUs = new Histogram(1, 60_000_000, 3);
        Histogram inferenceUs = new Histogram(1, 60_000_000, 3);
        try (CrossCameraBatcher detector =
                CrossCameraBatcher.start(
                        config,
                        0,
                        n -> {
                            synchronized (batchSizes) {
                                batchSizes.recordValue(n);
                            }
                        })) {
            for (int i = 0; i < 5; i++) {
                detector.detect(frames.get(i)).get();
            }
            synchronized (batchSizes) {
                batchSizes.reset();
            }
            Semaphore capacity = new Semaphore(IN_FLIGHT);
            int total = frames.size() * PASSES;
            CountDownLatch done = new CountDownLatch(total);
            AtomicLong failures = new AtomicLong();
            long start = System.nanoTime();
            for (int pass = 0; pass < PASSES; pass++) {
                for (byte[] f : frames) {
                    capacity.acquire();
                    long submitted = System.nanoTime();
                    detector.detect(f)
                            .whenComplete(
                                    (r, t) -> {
                                        long us = (System.nanoTime() - submitted) / 1000;
                                        synchronized (latencyUs) {
                                            latencyUs.recordValue(Math.max(1, us));
                                            if (r != null) {
                                                inferenceUs.recordValue(
                                                        Math.max(
                                                                1,
                                                                (long) (r.inferenceMs() * 1000)));
                                            }
                                        }
                                        if (t != null) {
                                            failures.incrementAndGet();
                                        }
                                        capacity.release();
                                        done.countDown();
                                    });
                }
            }
            done.await();
            double fps = fps(total, start);
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " frames failed");
            }
            StringBuilder b = new StringBuilder();
            synchronized (batchSizes) {
                for (int n = 1; n <= 64; n++) {
                    long c = batchSizes.getCountAtValue(n);
                    if (c > 0) {
                        b.append(b.length() == 0 ? "" : ", ").append(n).append("×").append(c);
                    }
                }
            }
            return new EngineFigures(
                    fps,
                    b.toString(),
                    latencyUs.getValueAtPercentile(50) / 1000.0,
                    latencyUs.getValueAtPercentile(99) / 1000.0,
                    inferenceUs.getValueAtPercentile(50) / 1000.0,
                    inferenceUs.getValueAtPercentile(99) / 1000.0);
        }
    }

    private static double fps(int frames, long startNanos) {
        return frames / ((System.nanoTime() - startNanos) / 1e9);
    }
}
