package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.StatsJson;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cameras with wrong clocks share a partition with an on-time camera, live: one a minute fast
 * (within {@code --max-future-skew}, so processed) and one half an hour fast (beyond the 5 min
 * skew: dead-lettered; the broker itself refuses more than 1 h). The on-time camera's windows must
 * hold every one of its frames: the fast camera must not move the partition's watermark ahead of
 * the wall clock (issue 8: far-future timestamps must not stall or spoil other cameras' windows).
 */
class FastCameraClockITCase {

    private static final long FRAME_SPACING_MS = 200;
    private static final int ON_TIME_FRAMES = 45; // 9 s of live traffic
    private static final Duration WINDOW = Duration.ofSeconds(2);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void aCameraWithAFastClockDoesNotMakeTheOthersLate() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "clock-in-" + run;
        String stats = "clock-stats-" + run;
        String dlq = "clock-dlq-" + run;
        // one partition: all three cameras share one watermark
        JobTopics topics =
                JobTopics.of(in, "clock-det-" + run, "clock-ann-" + run, stats, dlq, "clock-" + run)
                        .createOn(broker, 1);

        FrameFlowOptions options =
                topics.options(
                        broker.bootstrapServers(),
                        "--window-size",
                        WINDOW.toMillis() + " ms",
                        "--out-of-orderness",
                        "3 s",
                        "--checkpoint-interval",
                        "1 s");
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        JobClient job = env.executeAsync("fast camera clock " + run);

        List<SharedFrame> frames = SharedFrames.load();
        Map<Long, Long> onTimePerWindow = new TreeMap<>();
        int farFuture = 0;
        long lastOnTime = 0;
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", 0),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            // let the job start reading so frames are processed live, not as a backlog
            Thread.sleep(3000);
            for (int i = 0; i < ON_TIME_FRAMES; i++) {
                long now = System.currentTimeMillis();
                byte[] jpeg = frames.get(i % frames.size()).jpeg();
                sent.add(producer.send(WireRecords.frame(in, "on-time", i, now, jpeg)));
                onTimePerWindow.merge(now - now % WINDOW.toMillis(), 1L, Long::sum);
                lastOnTime = now;
                if (i % 3 == 1) {
                    sent.add(producer.send(WireRecords.frame(in, "fast", i, now + 60_000, jpeg)));
                }
                if (i % 15 == 7) {
                    sent.add(
                            producer.send(
                                    WireRecords.frame(in, "far-future", i, now + 1_800_000, jpeg)));
                    farFuture++;
                }
                producer.flush();
                Thread.sleep(FRAME_SPACING_MS);
            }
            for (var f : sent) {
                f.get(); // the broker accepted every record
            }
            // one more on-time frame after the out-of-orderness: fires the windows above
            Thread.sleep(4000);
            long now = System.currentTimeMillis();
            producer.send(WireRecords.frame(in, "on-time", 999, now, frames.get(0).jpeg()));
            producer.flush();
        }

        // every complete window of the on-time camera, with all of its frames
        long lastComplete = lastOnTime - lastOnTime % WINDOW.toMillis();
        Map<Long, Long> expected = new TreeMap<>(onTimePerWindow);
        expected.keySet().removeIf(w -> w >= lastComplete);
        List<WindowStats> onTime = new ArrayList<>();
        try {
            StatsJson json = new StatsJson();
            for (ConsumerRecord<byte[], byte[]> r :
                    KafkaTopics.read(
                            broker.bootstrapServers(),
                            stats,
                            expected.size(),
                            Duration.ofSeconds(90),
                            Duration.ofSeconds(3),
                            true)) {
                WindowStats s = json.read(r.value());
                if (s.camera().equals("on-time")) {
                    onTime.add(s);
                }
                assertThat(s.camera())
                        .as("the fast camera's windows are not due yet")
                        .isNotEqualTo("fast");
            }
            List<ConsumerRecord<byte[], byte[]>> deadLetters =
                    KafkaTopics.read(
                            broker.bootstrapServers(),
                            dlq,
                            farFuture,
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(2),
                            true);
            assertThat(deadLetters).hasSize(farFuture);
            for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
                DeadLetter d = WireRecords.deadLetter(r);
                assertThat(d.reasonCode()).isEqualTo("bad-timestamp");
                assertThat(new String(d.key())).isEqualTo("far-future");
            }
        } finally {
            job.cancel().get();
        }
        Map<Long, Long> actual = new TreeMap<>();
        for (WindowStats s : onTime) {
            assertThat(actual.put(s.windowStart(), s.frames()))
                    .as("window " + s.windowStart() + " emitted once")
                    .isNull();
        }
        actual.keySet().removeIf(w -> w >= lastComplete);
        System.out.printf(
                "fast-camera: on-time windows %s (frames per window), %d far-future frames"
                        + " dead-lettered%n",
                actual, farFuture);
        assertThat(actual).as("on-time camera: frames per window").isEqualTo(expected);
    }
}
