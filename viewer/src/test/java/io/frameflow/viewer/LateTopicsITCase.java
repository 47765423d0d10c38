package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The demo starts the viewer before the job has created its output topics: the viewer must pick
 * them up when they appear, from their first record, and must not create them itself.
 */
class LateTopicsITCase {

    @Test
    void topicsCreatedAfterStartAreFollowedFromTheirBeginning() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        String annotated = "late-annotated";
        String stats = "late-stats";
        try (Viewer viewer =
                Viewer.start(
                        ViewerOptions.defaults(broker.bootstrapServers())
                                .withPort(0)
                                .withTopics(annotated, stats))) {
            Thread.sleep(4000); // at least one look at the (missing) topics
            try (var admin = broker.admin()) {
                assertThat(admin.listTopics().names().get())
                        .as("looking at a topic must not create it")
                        .doesNotContain(annotated, stats);
            }
            broker.createTopics(2, annotated, stats);
            try (KafkaProducer<byte[], byte[]> producer =
                    TestCameras.producer(broker.bootstrapServers())) {
                var sentFrame =
                        producer.send(
                                TestCameras.annotated(
                                        annotated, "early", 0, TestCameras.drawnFrame("early", 0)));
                var sentStats =
                        producer.send(
                                new ProducerRecord<>(
                                        stats,
                                        "early".getBytes(StandardCharsets.UTF_8),
                                        TestCameras.statsJson("early", 5000, 10, 1.5, 2, 80, null)
                                                .getBytes(StandardCharsets.UTF_8)));
                producer.flush();
                System.out.println(
                        "late-topics: frame at "
                                + sentFrame.get()
                                + ", stats at "
                                + sentStats.get());
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (viewer.cameras().get("early").map(c -> c.latestStats() == null).orElse(true)
                    || viewer.cameras().get("early").get().frame().latest() == null) {
                assertThat(System.currentTimeMillis())
                        .as(
                                "the first frame and window of topics created late (%s)",
                                viewer.status())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            CameraState early = viewer.cameras().get("early").get();
            assertThat(early.frame().latest().seq()).isEqualTo(0);
            assertThat(early.latestStats().windowEnd()).isEqualTo(5000);
        }
    }
}
