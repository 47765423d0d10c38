package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a running job's detections topic back (committed records only), as the records. */
final class DetectionsTopic {

    private DetectionsTopic() {}

    /** Waits for {@code expected} frames' detections (90 s at most) and parses them. */
    static List<FrameDetections> read(EmbeddedKafkaBroker broker, String topic, int expected)
            throws Exception {
        DetectionsJson json = new DetectionsJson();
        List<FrameDetections> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KafkaTopics.read(
                        broker.bootstrapServers(),
                        topic,
                        expected,
                        Duration.ofSeconds(90),
                        Duration.ofSeconds(1),
                        true)) {
            out.add(json.read(r.value()).detections());
        }
        assertThat(out).hasSize(expected);
        return out;
    }
}
