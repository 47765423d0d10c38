package io.frameflow.producer.settings;

import io.frameflow.producer.DurationConverter;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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

    @Option(
            names = "--create-topic",
            description =
                    "Create the topic (cleanup.policy=compact, 1 partition) when it does not exist.")
    boolean createTopic;

    @Option(names = "--dry-run", description = "Validate and print, send nothing.")
    boolean dryRun;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to wait for Kafka (default: ${DEFAULT-VALUE}).")
    Duration timeout;

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
        checks.require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be above zero");
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
        if (dryRun) {
            for (Publication p : plan) {
                out.println("valid " + p.describe());
            }
            out.println("Dry run: nothing was sent to " + topic + ".");
            out.flush();
            return 0;
        }
        try {
            if (!topicReady(kafkaProps, err)) {
                return 1;
            }
            return publish(plan, kafkaProps, out, err);
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

    /**
     * Whether the topic exists (created with --create-topic); warns when it is not compacted. A
     * missing topic is not left to broker auto-creation, which would not compact it.
     */
    private boolean topicReady(Map<String, String> kafkaProps, PrintWriter err) {
        Properties p = new Properties();
        p.putAll(kafkaProps);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "frameflow-settings-admin");
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        p.putIfAbsent(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(ms, 30_000)));
        try (Admin admin = Admin.create(p)) {
            boolean exists;
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
                exists = true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    exists = false;
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    err.println(
                            "Warning: not allowed to describe topic "
                                    + topic
                                    + "; publishing without checking it");
                    return true;
                } else {
                    throw e;
                }
            }
            if (!exists) {
                if (!createTopic) {
                    err.println(
                            "Topic "
                                    + topic
                                    + " does not exist at "
                                    + kafka.bootstrapServers()
                                    + ". Create it compacted: add --create-topic, or kafka-topics.sh"
                                    + " --create --topic "
                                    + topic
                                    + " --partitions 1 --config cleanup.policy=compact");
                    return false;
                }
                create(admin, ms, err);
                return true;
            }
            warnUnlessCompacted(admin, ms, err);
            return true;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            err.println(
                    "Cannot check topic "
                            + topic
                            + " at "
                            + kafka.bootstrapServers()
                            + ": "
                            + cause
                            + " (check --bootstrap-servers and --kafka.* security settings)");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void create(Admin admin, int ms, PrintWriter err)
            throws ExecutionException, TimeoutException, InterruptedException {
        NewTopic t =
                new NewTopic(topic, Optional.of(1), Optional.empty())
                        .configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(t)).all().get(ms, TimeUnit.MILLISECONDS);
            err.println("Created topic " + topic + " (cleanup.policy=compact, 1 partition)");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private void warnUnlessCompacted(Admin admin, int ms, PrintWriter err)
            throws InterruptedException {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config c =
                    admin.describeConfigs(List.of(r)).all().get(ms, TimeUnit.MILLISECONDS).get(r);
            ConfigEntry policy = c == null ? null : c.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy != null && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                err.println(
                        "Warning: topic "
                                + topic
                                + " has cleanup.policy="
                                + policy.value()
                                + ": settings are deleted after its retention time. Make it"
                                + " compacted (cleanup.policy=compact).");
            }
        } catch (ExecutionException | TimeoutException e) {
            err.println("Warning: cannot read the configuration of topic " + topic + ": " + e);
        }
    }

    private int publish(
            List<Publication> plan,
            Map<String, String> kafkaProps,
            PrintWriter out,
            PrintWriter err) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(plan.size());
        int failed = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProperties(kafkaProps))) {
            for (Publication p : plan) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        p.key().getBytes(StandardCharsets.UTF_8),
                                        p.value())));
            }
            producer.flush();
            for (int i = 0; i < plan.size(); i++) {
                Publication p = plan.get(i);
                try {
                    RecordMetadata m = sent.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    out.println(
                            (p.value() == null ? "deleted " : "published ")
                                    + p.describe()
                                    + " -> "
                                    + m.topic()
                                    + "-"
                                    + m.partition()
                                    + "@"
                                    + m.offset());
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    err.println("Failed to publish " + p.keyText() + ": " + cause);
                    failed++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    err.println("Interrupted before " + p.keyText() + " was acknowledged");
                    return 1;
                }
            }
        } catch (KafkaException e) {
            err.println("Cannot publish to " + topic + ": " + e);
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    Properties producerProperties(Map<String, String> kafkaProps) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        int request = Math.min(ms, 30_000);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "frameflow-settings");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(request));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(ms, request)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ms));
        p.putAll(kafkaProps);
        return p;
    }
}
