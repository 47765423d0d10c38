package io.frameflow.producer.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.producer.CliRun;
import io.frameflow.producer.FrameFlowCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code settings} without a broker: options, validation, --dry-run. */
class SettingsCommandTest {

    static final String DOOR =
            "{\"site\":\"shop-1\",\"lines\":[{\"name\":\"door\",\"points\":[[0.85,0.0],[0.85,1.0]]}]}";
    static final String DOOR_CANONICAL =
            "{\"site\":\"shop-1\",\"lines\":[{\"name\":\"door\",\"points\":[[0.85,0],[0.85,1]]}]}";
    static final String BOW_TIE =
            "{\"zones\":[{\"name\":\"counter\",\"polygon\":[[0.3,0.5],[0.7,0.5],[0.3,1],[0.7,1]]}]}";

    /** Exit code, stdout, stderr. */
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        CliRun r = CliRun.run(args);
        return new Result(r.code(), r.out(), r.err());
    }

    @Test
    void badOptions() {
        assertThat(run("settings").err()).contains("Give --file FILE");
        assertThat(run("settings").code()).isEqualTo(2);
        Result r = run("settings", "--camera", "cam-1", "--delete", "--file", "x.json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--delete sends a tombstone and takes no --file");
        r = run("settings", "--delete");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--delete needs --camera");
        r = run("settings", "--camera", "cam/1", "--delete");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--camera: key 'cam/1' is neither *");
        r = run("settings", "--camera", "cam-1", "--delete", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option or argument: '--bogus'");
    }

    @Test
    void dryRunValidatesAndPrintsTheCanonicalDocument(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("cam-1.json"), DOOR);
        Result r = run("settings", "--camera", "cam-1", "--file", f.toString(), "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("valid cam-1 " + DOOR_CANONICAL)
                .contains("Dry run: nothing was sent to frames.config.");

        Path map =
                Files.writeString(
                        tmp.resolve("cameras.json"),
                        "{\"*\": {\"inferEvery\": 2}, \"cam-1\": " + DOOR + "}");
        r = run("settings", "--file", map.toString(), "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("valid '*' {\"inferEvery\":2}")
                .contains("valid cam-1 " + DOOR_CANONICAL);

        r = run("settings", "--camera", "*", "--delete", "--dry-run");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("valid '*' (tombstone)");
    }

    @Test
    void aBadDocumentIsRefusedWithItsReason(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.json"), BOW_TIE);
        // no broker at localhost:9092 is needed: validation comes first
        Result r = run("settings", "--camera", "cam-1", "--file", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains(
                        "Refused "
                                + f
                                + ": bad-polygon: camera 'cam-1': zones[0] 'counter'.polygon: edge"
                                + " point 1-point 2 and edge point 3-point 0 cross or touch")
                .contains("Nothing was sent.");
        assertThat(r.out()).isEmpty();

        Path map =
                Files.writeString(
                        tmp.resolve("map.json"),
                        "{\"cam-1\": " + DOOR + ", \"cam-2\": {\"minScore\": 7}}");
        r = run("settings", "--file", map.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad-score: camera 'cam-2': minScore 7.0 is out of range");

        Path oneDocAsMap = Files.writeString(tmp.resolve("door.json"), DOOR);
        r = run("settings", "--file", oneDocAsMap.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("looks like one camera's document");

        r = run("settings", "--camera", "cam-1", "--file", tmp.resolve("missing.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Cannot read");

        Path empty = Files.writeString(tmp.resolve("empty.json"), "{}");
        r = run("settings", "--file", empty.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("holds no documents");
    }

    @Test
    void producerIsIdempotentWithAcksAllAndKafkaPropertiesWin() {
        SettingsCommand c = new SettingsCommand();
        CommandLine cli = new CommandLine(c);
        cli.parseArgs("--camera", "cam-1", "--delete", "--timeout", "5s");
        var p = c.producerProperties(Map.of("security.protocol", "SSL"));
        assertThat(p)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("linger.ms", "0")
                .containsEntry("delivery.timeout.ms", "5000")
                .containsEntry("request.timeout.ms", "5000")
                .containsEntry("max.block.ms", "5000")
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void helpListsTheCommand() {
        CommandLine cli = FrameFlowCli.newCommandLine();
        assertThat(cli.getUsageMessage()).contains("settings").contains("per-camera settings");
        String help = cli.getSubcommands().get("settings").getUsageMessage();
        assertThat(help)
                .contains("--camera=ID")
                .contains("--file=FILE")
                .contains("--delete")
                .contains("--dry-run")
                .contains("--create-topic")
                .contains("frames.config");
    }
}
