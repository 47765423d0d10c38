package io.frameflow.producer.faces;

import static io.frameflow.producer.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.producer.CliRun;
import io.frameflow.producer.TopicReader;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faces}: checks photos without a broker, publishes a folder and tombstones with one. */
class FacesCommandITCase {

    private static byte[] photo(String media) throws Exception {
        return Files.readAllBytes(SharedResources.media(media));
    }

    @Test
    void aFolderIsCheckedAndPublishedOneRecordPerPersonAndATombstoneForgetsOne(@TempDir Path tmp)
            throws Exception {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.shared();
        String topic = "it-faces";
        kafka.createTopics(1, Map.of("cleanup.policy", "compact"), topic);
        Path people = Files.createDirectories(tmp.resolve("people"));
        Files.write(people.resolve("Grace Hopper.jpg"), photo("images/grace_hopper.jpg"));
        Files.write(people.resolve("zidane.JPG"), photo("images/zidane.jpg"));
        Files.writeString(people.resolve("notes.txt"), "not a photo");

        CliRun r =
                run(
                        "faces",
                        "-b",
                        kafka.bootstrapServers(),
                        "-t",
                        topic,
                        "--dir",
                        people.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("published 'Grace Hopper' (Grace Hopper.jpg, ")
                .contains(" -> " + topic + "-0@0")
                .contains("published 'zidane' (zidane.JPG, ");
        r = run("faces", "-b", kafka.bootstrapServers(), "-t", topic, "--delete", "zidane");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("deleted 'zidane' (tombstone)");

        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            records = reader.readUntil(l -> l.size() >= 3, Duration.ofSeconds(30));
            records = reader.readAll(Duration.ofSeconds(1));
        }
        assertThat(records).hasSize(3);
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("Grace Hopper");
        assertThat(records.get(0).value()).isEqualTo(photo("images/grace_hopper.jpg"));
        assertThat(new String(records.get(2).key(), StandardCharsets.UTF_8)).isEqualTo("zidane");
        assertThat(records.get(2).value()).isNull();
    }

    @Test
    void badPhotosAndOptionsAreRefusedBeforeAnythingIsSent(@TempDir Path tmp) throws Exception {
        assertThat(run("faces").err()).contains("Give one of --dir DIR, --file FILE or --delete");
        Path text = Files.writeString(tmp.resolve("ada.jpg"), "not a JPEG");
        CliRun r = run("faces", "--file", text.toString(), "--dry-run");
        assertThat(r.code()).isEqualTo(FacesCommand.REFUSED);
        assertThat(r.err()).contains("is not a readable JPEG or PNG").contains("Nothing was sent");

        Path big = tmp.resolve("big.jpg");
        byte[] jpeg = photo("images/zidane.jpg");
        byte[] padded = new byte[FacesCommand.MAX_PHOTO_BYTES + 1];
        System.arraycopy(jpeg, 0, padded, 0, jpeg.length); // a valid header, too many bytes
        Files.write(big, padded);
        r = run("faces", "--file", big.toString(), "--dry-run");
        assertThat(r.code()).isEqualTo(FacesCommand.REFUSED);
        assertThat(r.err()).contains("at most 1 MiB per record");

        Path ok = Files.write(tmp.resolve("IMG_0042.jpg"), photo("images/grace_hopper.jpg"));
        r = run("faces", "--file", ok.toString(), "--name", "Grace", "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid 'Grace' (IMG_0042.jpg, ").contains("Dry run");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        r = run("faces", "--dir", empty.toString(), "--dry-run");
        assertThat(r.code()).isEqualTo(FacesCommand.REFUSED);
        assertThat(r.err()).contains("has no .jpg, .jpeg or .png photos");
    }
}
