package io.frameflow.producer.settings;

import static io.frameflow.producer.settings.SettingsCommandTest.BOW_TIE;
import static io.frameflow.producer.settings.SettingsCommandTest.DOOR;
import static io.frameflow.producer.settings.SettingsCommandTest.DOOR_CANONICAL;
import static io.frameflow.producer.settings.SettingsCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.producer.TopicReader;
import io.frameflow.producer.settings.SettingsCommandTest.Result;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code settings} against a broker: what it publishes is what the job reads back. */
class SettingsCommandITCase {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafkaBroker.shared();
    }

    @Test
    void publishesValidDocumentsRefusesBadOnesAndSendsTombstones(@TempDir Path tmp)
            throws Exception {
        String topic = "it-settings";
        kafka.createTopics(1, Map.of("cleanup.policy", "compact"), topic);
        String b = kafka.bootstrapServers();

        Path cam1 = Files.writeString(tmp.resolve("cam-1.json"), DOOR);
        Result r =
                run(
                        "settings",
                        "-b",
                        b,
                        "-t",
                        topic,
                        "--camera",
                        "cam-1",
                        "--file",
                        cam1.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("published cam-1 " + DOOR_CANONICAL + " -> " + topic + "-0@0");
        assertThat(r.err()).doesNotContain("Warning");

        Path map =
                Files.writeString(
                        tmp.resolve("cameras.json"),
                        "{\n  \"*\": {\"classes\": [\"person\"], \"inferEvery\": 2},\n"
                                + "  \"Eingang Süd\": {\"minScore\": 0.6}\n}\n");
        r = run("settings", "-b", b, "-t", topic, "--file", map.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "published '*' {\"classes\":[\"person\"],\"inferEvery\":2} -> "
                                + topic
                                + "-0@1")
                .contains("published Eingang Süd {\"minScore\":0.6} -> " + topic + "-0@2");

        // refused: nothing sent, not even the valid documents of the same file
        Path bad = Files.writeString(tmp.resolve("bad.json"), BOW_TIE);
        r = run("settings", "-b", b, "-t", topic, "--camera", "cam-2", "--file", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("bad-polygon: camera 'cam-2': zones[0] 'counter'.polygon")
                .contains("Nothing was sent.");
        Path badMap =
                Files.writeString(
                        tmp.resolve("bad-map.json"),
                        "{\"cam-3\": {\"site\": \"ok\"}, \"cam-4\": {\"zonez\": []}}");
        r = run("settings", "-b", b, "-t", topic, "--file", badMap.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains(
                        "unknown-field: camera 'cam-4': unknown field 'zonez'; did you mean 'zones'?");

        r = run("settings", "-b", b, "-t", topic, "--camera", "cam-1", "--delete");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("deleted cam-1 (tombstone) -> " + topic + "-0@3");

        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(b, topic)) {
            records = reader.readUntil(l -> l.size() >= 4, Duration.ofSeconds(30));
            records = reader.readAll(Duration.ofSeconds(1));
        }
        assertThat(records).hasSize(4);
        assertThat(records.stream().map(c -> new String(c.key(), StandardCharsets.UTF_8)))
                .containsExactly("cam-1", "*", "Eingang Süd", "cam-1");
        assertThat(value(records.get(0))).isEqualTo(DOOR_CANONICAL);
        assertThat(value(records.get(1))).isEqualTo("{\"classes\":[\"person\"],\"inferEvery\":2}");
        assertThat(value(records.get(2))).isEqualTo("{\"minScore\":0.6}");
        assertThat(records.get(3).value()).as("tombstone").isNull();
        // what was published is what the job parses
        CameraSettingsJson json = new CameraSettingsJson();
        assertThat(json.parse(records.get(0).value())).isEqualTo(json.parse(DOOR));
    }

    @Test
    void aMissingTopicIsCreatedCompactedOnlyWhenAsked(@TempDir Path tmp) throws Exception {
        String topic = "it-settings-new";
        String b = kafka.bootstrapServers();
        Path f = Files.writeString(tmp.resolve("d.json"), "{\"inferEvery\": 3}");

        Result r = run("settings", "-b", b, "-t", topic, "--camera", "*", "--file", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("Topic " + topic + " does not exist")
                .contains("--create-topic");
        try (Admin admin = kafka.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }

        r =
                run(
                        "settings",
                        "-b",
                        b,
                        "-t",
                        topic,
                        "--camera",
                        "*",
                        "--file",
                        f.toString(),
                        "--create-topic");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("Created topic " + topic + " (cleanup.policy=compact, 1 partition)");
        assertThat(r.out()).contains("published '*' {\"inferEvery\":3} -> " + topic + "-0@0");
        try (Admin admin = kafka.admin()) {
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(
                            admin.describeConfigs(List.of(res))
                                    .all()
                                    .get()
                                    .get(res)
                                    .get("cleanup.policy")
                                    .value())
                    .isEqualTo("compact");
            assertThat(
                            admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get()
                                    .get(topic)
                                    .partitions())
                    .hasSize(1);
        }
    }

    @Test
    void aTopicThatIsNotCompactedGetsAWarning(@TempDir Path tmp) throws Exception {
        String topic = "it-settings-delete-policy";
        kafka.createTopics(1, topic);
        Path f = Files.writeString(tmp.resolve("d.json"), "{}");
        Result r =
                run(
                        "settings",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--camera",
                        "cam-1",
                        "--file",
                        f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Warning: topic " + topic + " has cleanup.policy=delete");
        assertThat(r.out()).contains("published cam-1 {} -> " + topic + "-0@0");
    }

    private static String value(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
