package io.frameflow.bench;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an output topic from the beginning on its own thread and notes, for every record, when it
 * arrived here and its timestamp (= the frame's capture time, which the publisher set to the send
 * time): arrival − timestamp is the end-to-end latency.
 */
final class OutputMeter implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private final Object lock = new Object();
    private long[] arrivals = new long[1 << 14];
    private long[] timestamps = new long[1 << 14];
    private int count;

    OutputMeter(String bootstrap, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(topic)
                .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(this::loop, "output-meter");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                synchronized (lock) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (count == arrivals.length) {
                            arrivals = java.util.Arrays.copyOf(arrivals, count * 2);
                            timestamps = java.util.Arrays.copyOf(timestamps, count * 2);
                        }
                        arrivals[count] = now;
                        timestamps[count] = r.timestamp();
                        count++;
                    }
                    lock.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    int count() {
        synchronized (lock) {
            return count;
        }
    }

    /** Waits until {@code n} records arrived; {@code alive} false (the system died) aborts. */
    void await(int n, Duration timeout, BooleanSupplier alive)
            throws InterruptedException, TimeoutException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        synchronized (lock) {
            while (count < n) {
                if (failure != null) {
                    throw failure;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new TimeoutException(count + " of " + n + " records after " + timeout);
                }
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("the system under test stopped");
                }
                lock.wait(Math.min(left, 500));
            }
        }
    }

    /**
     * Throughput over records [from, to): records per second between the arrival of record {@code
     * from} and record {@code to - 1}.
     */
    double rate(int from, int to) {
        synchronized (lock) {
            long span = arrivals[to - 1] - arrivals[from];
            return span <= 0 ? Double.NaN : (to - 1 - from) * 1000.0 / span;
        }
    }

    /** The records with a timestamp in [fromTs, toTs): {@code {timestamp, arrival}} each. */
    List<long[]> records(long fromTs, long toTs) {
        List<long[]> out = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                if (timestamps[i] >= fromTs && timestamps[i] < toTs) {
                    out.add(new long[] {timestamps[i], arrivals[i]});
                }
            }
        }
        return out;
    }

    /** Latencies of the records with a timestamp in [fromTs, toTs). */
    Latencies latencies(long fromTs, long toTs) {
        Histogram h = new Histogram(3_600_000L, 3);
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                if (timestamps[i] >= fromTs && timestamps[i] < toTs) {
                    h.recordValue(Math.max(0, arrivals[i] - timestamps[i]));
                }
            }
        }
        return Latencies.of(h);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
