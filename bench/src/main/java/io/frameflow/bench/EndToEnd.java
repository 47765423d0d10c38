package io.frameflow.bench;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleUnaryOperator;

/**
 * One run against a system under test: frames published ahead of time, the system started, the
 * drain rate measured on the output topic; then paced phases at given rates for latency.
 */
final class EndToEnd {

    /** How a system is started on fresh topics. */
    interface Starter {
        SystemUnderTest start(Topics topics) throws Exception;
    }

    /** One paced phase. */
    record Phase(double rate, int sent, int received, Latencies latency) {}

    /**
     * The whole run; {@code cpuMsPerFrame} = CPU time of this JVM (system under test, broker,
     * publisher idle, meter) per frame while draining.
     */
    record Result(
            double drainFps,
            double cpuMsPerFrame,
            Map<String, Double> cpuByGroup,
            int preloaded,
            List<Phase> phases,
            long heapAfterGcBytes,
            long checkpointBytes) {

        Phase phase(int i) {
            return i < phases.size() ? phases.get(i) : null;
        }
    }

    static final int PARTITIONS = 2;

    private EndToEnd() {}

    /**
     * @param rates paced rates from the measured drain rate (e.g. {@code d -> 0.5 * d}), in order
     */
    static Result run(
            EmbeddedKafkaBroker broker,
            FrameSet frames,
            int cameras,
            int preload,
            List<DoubleUnaryOperator> rates,
            double pacedSeconds,
            Starter starter)
            throws Exception {
        return run(
                broker, frames, cameras, preload, rates, pacedSeconds, starter, Topics::annotated);
    }

    /**
     * @param metered the output topic whose records count as frames done (the annotated frames; the
     *     detections for a job run with {@code --annotated-frames false}); both carry the capture
     *     time as their timestamp and are read uncommitted, as they are written
     */
    static Result run(
            EmbeddedKafkaBroker broker,
            FrameSet frames,
            int cameras,
            int preload,
            List<DoubleUnaryOperator> rates,
            double pacedSeconds,
            Starter starter,
            java.util.function.Function<Topics, String> metered)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        Topics topics = Topics.create(broker, PARTITIONS);
        try (OutputMeter meter = new OutputMeter(bootstrap, metered.apply(topics));
                Publisher publisher = new Publisher(bootstrap, topics.in(), frames, cameras)) {
            publisher.preload(preload);
            try (SystemUnderTest sut = starter.start(topics)) {
                // skip the first 25% (JIT, model warm-up, first checkpoint)
                meter.await(preload / 4, Duration.ofSeconds(90 + preload / 4), sut::alive);
                Cpu.Snapshot cpu0 = Cpu.Snapshot.take();
                int n0 = meter.count();
                meter.await(preload, Duration.ofSeconds(90 + preload / 4), sut::alive);
                Cpu.Snapshot cpu1 = Cpu.Snapshot.take();
                int drained = meter.count() - n0;
                double cpuMsPerFrame = (cpu1.process() - cpu0.process()) / 1e6 / drained;
                Map<String, Double> cpuByGroup = cpu0.perFrame(cpu1, drained);
                if (Boolean.getBoolean("bench.cpuDetail")) {
                    System.out.print(
                            "busiest threads while draining (CPU ms per frame):\n"
                                    + Cpu.topThreads(cpu0, cpu1, drained, 25));
                }
                double drain = meter.rate(preload / 4, preload);
                List<Phase> phases = new ArrayList<>();
                int expected = preload;
                for (DoubleUnaryOperator rateOf : rates) {
                    double rate = rateOf.applyAsDouble(drain);
                    long t0 = System.currentTimeMillis();
                    int sent = publisher.paced(rate, pacedSeconds);
                    long t1 = System.currentTimeMillis();
                    expected += sent;
                    int received;
                    try {
                        meter.await(expected, Duration.ofSeconds(60), sut::alive);
                        received = sent;
                    } catch (TimeoutException e) {
                        received = sent - (expected - meter.count());
                        System.err.println("paced phase at " + rate + " f/s: " + e.getMessage());
                        expected = meter.count();
                    }
                    // the first second of a phase is a transient: leave it out
                    phases.add(new Phase(rate, sent, received, meter.latencies(t0 + 1000, t1 + 1)));
                }
                long checkpoint = sut.checkpointBytes();
                return new Result(
                        drain,
                        cpuMsPerFrame,
                        cpuByGroup,
                        preload,
                        phases,
                        heapAfterGc(),
                        checkpoint);
            }
        }
    }

    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
