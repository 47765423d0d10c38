package io.frameflow.producer.settings;

import io.frameflow.producer.CompactedTopicOptions;
import io.frameflow.producer.CompactedTopicPublisher;
import io.frameflow.producer.KafkaConnectionOptions;
import io.frameflow.producer.OptionChecks;
import io.frameflow.records.settings.CameraConfigFile;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import io.frameflow.records.settings.SettingsResolver;
import io.frameflow.records.wire.FrameWire;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code settings}: publishes per-camera settings documents (docs/camera-settings.md) to the
 * compacted settings topic, after validating them with the job's own rules.
 */
@Command(
        name = "settings",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Publishes per-camera settings (site, classes, minScore, masks, zones, lines,"
                    + " inferEvery, tracker; docs/camera-settings.md) to the compacted settings"
                    + " topic (default "
                    + FrameWire.TOPIC_CONFIG
                    + "), which the running job applies within seconds.",
            "Every document is validated first; a refused one is reported with its reason and"
                    + " nothing is sent. Waits for Kafka's acknowledgement (acks=all, idempotent)"
                    + " and prints what it published.",
        },
        footer = {
            "",
            "Examples (add -b HOST:PORT):",
            "  one camera:       settings --camera cam-1 --file cam-1.json",
            "  every camera:     settings --camera '*' --file defaults.json",
            "  a config file:    settings --file cameras.json",
            "  remove settings:  settings --camera cam-1 --delete",
            "  only validate:    settings --camera cam-1 --file cam-1.json --dry-run",
            "",
            "Exit codes: 0 published (or valid with --dry-run), 1 Kafka failed, 2 bad options or a"
                    + " refused document.",
            "Any Kafka client property can be given as --kafka.<property>=<value>."
        })
public final class SettingsCommand implements Callable<Integer> {

    /** Exit code of a refused document (as for bad options). */
    static final int REFUSED = 2;

    @Spec CommandSpec commandSpec;

    @Mixin KafkaConnectionOptions kafka;

    @Option(
            names = {"-c", "--camera"},
            paramLabel = "ID",
            description =
                    "Camera id the document is for, or '*' for the defaults of every camera."
                            + " Without it, --file is a camera config file: {\"*\": {...},"
                            + " \"cam-1\": {...}}.")
    String camera;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "The settings document (with --camera) or camera config file (without).")
    Path file;

    @Option(
            names = "--delete",
            description =
                    "Send a tombstone for --camera: the camera falls back to the defaults ('*':"
                            + " every camera to the built-in values).")
    boolean delete;

    @Option(
            names = {"-t", "--topic"},
            defaultValue = FrameWire.TOPIC_CONFIG,
            description = "Settings topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Mixin CompactedTopicOptions publishing;

    @Unmatched List<String> unmatched = new ArrayList<>();

    /** One record to send: {@code value} null is a tombstone. */
    record Publication(String key, byte[] value) {
        String describe() {
            return value == null
                    ? keyText() + " (tombstone)"
                    : keyText() + " " + new String(value, StandardCharsets.UTF_8);
        }

        String keyText() {
            return SettingsResolver.isDefaultsKey(key) ? "'*'" : key;
        }
    }

    @Override
    public Integer call() {
        Map<String, String> kafkaProps = kafka.clientProperties(unmatched);
        OptionChecks checks = new OptionChecks(commandSpec);
        checks.require(
                file != null || delete,
                "Give --file FILE (with --camera ID for one document, without it for a camera"
                        + " config file), or --camera ID --delete");
        checks.require(!(file != null && delete), "--delete sends a tombstone and takes no --file");
        checks.require(!delete || camera != null, "--delete needs --camera ID (or '*')");
        publishing.check(checks);
        if (camera != null) {
            try {
                SettingsResolver.checkKey(camera);
            } catch (SettingsException e) {
                throw checks.bad("--camera: " + e.getMessage());
            }
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();

        List<Publication> plan;
        try {
            plan = plan();
        } catch (SettingsException e) {
            err.println("Refused " + file + ": " + e.deadLetterReason());
            err.println("Nothing was sent.");
            err.flush();
            return REFUSED;
        } catch (IOException e) {
            err.println("Cannot read " + file + ": " + e);
            err.flush();
            return REFUSED;
        }
        if (plan.isEmpty()) {
            err.println(file + " holds no documents; nothing was sent.");
            err.flush();
            return REFUSED;
        }
        if (publishing.dryRun()) {
            for (Publication p : plan) {
                out.println("valid " + p.describe());
            }
            out.println("Dry run: nothing was sent to " + topic + ".");
            out.flush();
            return 0;
        }
        try {
            CompactedTopicPublisher publisher = publisher(kafkaProps);
            if (!publisher.topicReady(err)) {
                return 1;
            }
            return publisher.publish(
                    plan.stream()
                            .map(
                                    p ->
                                            new CompactedTopicPublisher.Publication(
                                                    p.key(), p.value(), p.describe()))
                            .toList(),
                    out,
                    err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The records to send, every document validated; SettingsException for the first bad one. */
    List<Publication> plan() throws IOException, SettingsException {
        CameraSettingsJson json = new CameraSettingsJson();
        List<Publication> plan = new ArrayList<>();
        if (delete) {
            plan.add(new Publication(camera, null));
        } else if (camera != null) {
            CameraSettings doc;
            try {
                doc = CameraConfigFile.loadDocument(file);
            } catch (SettingsException e) {
                throw e.forKey(camera);
            }
            plan.add(new Publication(camera, json.write(doc)));
        } else {
            for (Map.Entry<String, CameraSettings> e : CameraConfigFile.load(file).entrySet()) {
                plan.add(new Publication(e.getKey(), json.write(e.getValue())));
            }
        }
        return plan;
    }

    private CompactedTopicPublisher publisher(Map<String, String> kafkaProps) {
        return publishing.publisher(kafka, kafkaProps, topic, "frameflow-settings", "settings");
    }

    Properties producerProperties(Map<String, String> kafkaProps) {
        return publisher(kafkaProps).producerProperties();
    }
}
