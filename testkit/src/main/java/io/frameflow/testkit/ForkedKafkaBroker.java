package io.frameflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) in a child JVM ({@code
 * kafka.Kafka} with a generated {@code server.properties}), for fault tests that stop, kill and
 * restart the broker. Unlike {@link EmbeddedKafkaBroker} it comes back on the same host:port with
 * the same log directory, as a production broker does, so clients can recover on their own.
 *
 * <p>Ports are chosen once at {@link #start(Map)}; {@link #stop()} sends SIGTERM (controlled
 * shutdown), {@link #kill()} SIGKILL; {@link #restart()} starts the same broker again. {@link
 * #close()} kills the child and deletes the data; a JVM shutdown hook kills it too, so no broker
 * outlives a failed test.
 */
public final class ForkedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForkedKafkaBroker.class);

    private static final long READY_TIMEOUT_MS = 120_000;
    private static final long STOP_TIMEOUT_MS = 60_000;

    private final Path dir;
    private final Path config;
    private final Path log;
    private final int brokerPort;
    private final int controllerPort;
    private final String classpath;
    private final Thread reaper;
    private Process process;
    private int starts;

    private ForkedKafkaBroker(Path dir, int brokerPort, int controllerPort, String classpath) {
        this.dir = dir;
        this.config = dir.resolve("server.properties");
        this.log = dir.resolve("broker.log");
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.classpath = classpath;
        this.reaper = new Thread(this::destroyQuietly, "forked-kafka-reaper");
    }

    /** The settings {@link EmbeddedKafkaBroker} uses too, for a broker of one node. */
    static Map<String, String> defaults() {
        Map<String, String> p = new LinkedHashMap<>(EmbeddedKafkaBroker.singleNodeProperties());
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("message.max.bytes", String.valueOf(EmbeddedKafkaBroker.MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(EmbeddedKafkaBroker.MAX_MESSAGE_BYTES));
        p.put("log.cleaner.enable", "false");
        return p;
    }

    /** Formats a fresh log directory and starts the broker with the defaults plus overrides. */
    public static ForkedKafkaBroker start(Map<String, String> overrides) throws Exception {
        Path dir = Files.createTempDirectory("frameflow-forked-kafka-");
        int brokerPort = freePort();
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }
        ForkedKafkaBroker broker =
                new ForkedKafkaBroker(
                        dir, brokerPort, controllerPort, System.getProperty("java.class.path"));
        Runtime.getRuntime().addShutdownHook(broker.reaper);
        try {
            broker.writeConfig(overrides);
            broker.format();
            broker.launch();
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public static ForkedKafkaBroker start() throws Exception {
        return start(Map.of());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void writeConfig(Map<String, String> overrides) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://localhost:"
                        + brokerPort
                        + ",CONTROLLER://localhost:"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.putAll(defaults());
        p.putAll(overrides);
        StringBuilder sb = new StringBuilder("# generated by ForkedKafkaBroker\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
        // the broker's own log goes to broker.log, INFO for Kafka's lifecycle, WARN otherwise
        Files.writeString(
                dir.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = WARN",
                        "rootLogger.appenderRef.out.ref = out",
                        "appender.out.type = Console",
                        "appender.out.name = out",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = [%d] %p %m (%c{1})%n",
                        "logger.server.name = kafka.server",
                        "logger.server.level = INFO",
                        ""),
                StandardCharsets.UTF_8);
    }

    private List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms64m");
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Kafka's own StorageTool, as {@code kafka-storage.sh format} runs it. */
    private void format() throws IOException, InterruptedException {
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        Process p =
                new ProcessBuilder(
                                java(
                                        "kafka.tools.StorageTool",
                                        "format",
                                        "--config",
                                        config.toString(),
                                        "--cluster-id",
                                        clusterId))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        if (!p.waitFor(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("Kafka storage format did not finish; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "Kafka storage format failed (exit " + p.exitValue() + "): " + tail());
        }
    }

    private synchronized void launch() throws Exception {
        long t0 = System.nanoTime();
        starts++;
        Files.writeString(
                log,
                "==== start #" + starts + " ====\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        process =
                new ProcessBuilder(java("kafka.Kafka", config.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        awaitReady();
        LOG.info(
                "Forked Kafka broker ready at {} (pid {}, start #{}) in {} ms (data in {})",
                bootstrapServers(),
                process.pid(),
                starts,
                (System.nanoTime() - t0) / 1_000_000,
                dir);
    }

    /** Waits until the broker answers a describeCluster, or fails with its log. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "Forked Kafka broker exited with "
                                    + process.exitValue()
                                    + ": "
                                    + tail());
                }
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Forked Kafka broker not ready after "
                                    + READY_TIMEOUT_MS
                                    + " ms: "
                                    + tail());
                }
                Thread.sleep(200);
            }
        }
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    /** Whether the child JVM is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Process id of the running broker (for logs). */
    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("broker is not running");
        }
        return process.pid();
    }

    /** How many times the broker was started (1 after {@link #start(Map)}). */
    public synchronized int starts() {
        return starts;
    }

    /** Graceful stop: SIGTERM, then waits for the controlled shutdown to finish. */
    public synchronized void stop() throws InterruptedException {
        requireRunning();
        long t0 = System.nanoTime();
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            LOG.warn("Forked Kafka broker ignored SIGTERM for {} ms; killing it", STOP_TIMEOUT_MS);
            process.destroyForcibly().waitFor();
        }
        LOG.info(
                "Forked Kafka broker stopped (SIGTERM, exit {}) in {} ms",
                process.exitValue(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Crash: SIGKILL, no shutdown at all (what {@code kill -9} or a power cut does). */
    public synchronized void kill() throws InterruptedException {
        requireRunning();
        process.destroyForcibly().waitFor();
        LOG.info("Forked Kafka broker killed (SIGKILL, exit {})", process.exitValue());
    }

    /** Starts the stopped or killed broker again: same ports, same log directory. */
    public synchronized void restart() throws Exception {
        if (isRunning()) {
            throw new IllegalStateException("broker is still running; stop() or kill() first");
        }
        launch();
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("broker is not running");
        }
    }

    /** A new admin client; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    /**
     * Creates the topics (replication 1) and waits until every partition has a leader; existing
     * ones are kept.
     */
    public void createTopics(int partitions, String... names)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            EmbeddedKafkaBroker.createTopics(admin, partitions, names);
        }
    }

    /** The broker's directory: server.properties, broker.log and the data under data/. */
    public Path directory() {
        return dir;
    }

    /** The child's stdout and stderr, all starts appended. */
    public Path logFile() {
        return log;
    }

    /** The last lines of the broker's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no broker log: " + e + ")";
        }
    }

    private synchronized void destroyQuietly() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Kills the broker and deletes its directory. */
    @Override
    public void close() {
        destroyQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran already
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }

    /** Unique names for a test's topics. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
