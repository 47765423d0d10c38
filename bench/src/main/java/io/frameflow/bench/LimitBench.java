package io.frameflow.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1: the machine's limit. Frames in memory, no Kafka, no Flink; each thread owns a {@link
 * Pipeline} (engine + annotator) and loops over the frames. Variants: one single-threaded engine
 * per core, one engine with as many ORT threads as cores, one single-threaded engine.
 */
final class LimitBench {

    /** One variant's result. */
    record Variant(String name, int engines, int intraOp, double fps, double cpuMsPerFrame) {}

    private LimitBench() {}

    static List<Variant> run(Path model, FrameSet frames, double seconds) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Variant> out = new ArrayList<>();
        out.add(variant(cores + " engines × 1 ORT thread", cores, 1, model, frames, seconds));
        out.add(variant("1 engine × " + cores + " ORT threads", 1, cores, model, frames, seconds));
        out.add(variant("1 engine × 1 ORT thread", 1, 1, model, frames, seconds));
        return out;
    }

    static Variant variant(
            String name, int engines, int intraOp, Path model, FrameSet frames, double seconds)
            throws Exception {
        List<Pipeline> pipelines = new ArrayList<>();
        for (int i = 0; i < engines; i++) {
            pipelines.add(new Pipeline(model, intraOp));
        }
        AtomicLong done = new AtomicLong();
        AtomicLong startedAt = new AtomicLong();
        // the barrier action runs before any thread is released: all see the same start
        CyclicBarrier start = new CyclicBarrier(engines, () -> startedAt.set(System.nanoTime()));
        CyclicBarrier end = new CyclicBarrier(engines + 1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < engines; t++) {
            Pipeline p = pipelines.get(t);
            int first = t * frames.size() / engines;
            Thread th =
                    new Thread(
                            () -> {
                                try {
                                    for (int i = 0; i < 10; i++) { // warm-up
                                        var f = frames.get(first + i);
                                        p.process(f.camera(), f.seq(), 0, f.jpeg());
                                    }
                                    start.await();
                                    long deadline = startedAt.get() + (long) (seconds * 1e9);
                                    long i = first;
                                    while (System.nanoTime() < deadline) {
                                        var f = frames.get(i++);
                                        p.process(f.camera(), f.seq(), 0, f.jpeg());
                                        done.incrementAndGet();
                                    }
                                    end.await();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            "limit-" + t);
            threads.add(th);
        }
        threads.forEach(Thread::start);
        long cpu0 = 0;
        // CPU from the first timed frame: wait for the start barrier to trip
        while (startedAt.get() == 0) {
            Thread.sleep(1);
        }
        cpu0 = Cpu.process();
        end.await();
        long elapsed = System.nanoTime() - startedAt.get();
        double cpuMs = (Cpu.process() - cpu0) / 1e6 / done.get();
        for (Thread th : threads) {
            th.join();
        }
        pipelines.forEach(Pipeline::close);
        return new Variant(name, engines, intraOp, done.get() / (elapsed / 1e9), cpuMs);
    }
}
