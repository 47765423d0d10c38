package io.frameflow.e2e;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Live cameras on a background thread: every {@code spacingMs} of wall-clock time one frame per
 * camera (the camera's real JPEGs in a loop), seq 0, 1, 2, ... and capture time {@code baseTs + seq
 * * spacingMs}, through one idempotent producer with {@code acks=all}. {@link #stop} returns how
 * many rounds were published, each acknowledged by the broker.
 */
final class PacedFramePublisher implements AutoCloseable {

    private final String bootstrapServers;
    private final Map<String, List<byte[]>> jpegsByCamera = new LinkedHashMap<>();
    private final long baseTs;
    private final long spacingMs;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile long rounds;

    PacedFramePublisher(
            String bootstrapServers, List<SharedFrame> frames, long baseTs, long spacingMs) {
        this.bootstrapServers = bootstrapServers;
        for (SharedFrame f : frames) {
            jpegsByCamera.computeIfAbsent(f.camera(), c -> new ArrayList<>()).add(f.jpeg());
        }
        this.baseTs = baseTs;
        this.spacingMs = spacingMs;
        this.thread = new Thread(this::run, "paced-frame-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    List<String> cameras() {
        return List.copyOf(jpegsByCamera.keySet());
    }

    long captureTs(long seq) {
        return baseTs + seq * spacingMs;
    }

    /** Rounds published so far (one frame per camera each). */
    long rounds() {
        return rounds;
    }

    private void run() {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (long seq = 0; running; seq++) {
                long due = start + TimeUnit.MILLISECONDS.toNanos(seq * spacingMs);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (Map.Entry<String, List<byte[]>> camera : jpegsByCamera.entrySet()) {
                    List<byte[]> jpegs = camera.getValue();
                    acks.add(
                            producer.send(
                                    FrameFlowCluster.frameRecord(
                                            camera.getKey(),
                                            seq,
                                            captureTs(seq),
                                            jpegs.get((int) (seq % jpegs.size())))));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(60, TimeUnit.SECONDS);
                }
                rounds = seq + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** Stops after the round in progress; returns the number of rounds, all acknowledged. */
    long stop() throws Exception {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(90));
        if (thread.isAlive()) {
            throw new IllegalStateException("publisher did not stop within 90 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("publishing failed", failure.get());
        }
        return rounds;
    }

    /**
     * Stops after the round in progress, like {@link #stop}, without interrupting it: an interrupt
     * while the round's acks are awaited left frames on the broker that {@link #rounds} did not
     * count (the producer still delivers them when it closes), seen as "unexpected" detections.
     */
    @Override
    public void close() throws Exception {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(90));
    }
}
