package io.frameflow.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) running inside this JVM,
 * built from Kafka's own test kit. Used by the integration tests and by the local run when no
 * {@code --bootstrap-servers} is given.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** Largest record the broker accepts: room for an 8 MiB frame plus headers. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static EmbeddedKafkaBroker shared;

    private final KafkaClusterTestKit cluster;
    private final Path dataDir;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, Path dataDir) {
        this.cluster = cluster;
        this.dataDir = dataDir;
    }

    /** Starts a fresh broker with the defaults below plus {@code overrides}. */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides) throws Exception {
        long t0 = System.nanoTime();
        Path dataDir = Files.createTempDirectory("frameflow-kafka-");
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dataDir)
                        .build();
        KafkaClusterTestKit.Builder builder = singleNode(nodes);
        builder.setConfigProp("auto.create.topics.enable", "true");
        builder.setConfigProp("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        builder.setConfigProp("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        builder.setConfigProp("log.cleaner.enable", "false");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            builder.setConfigProp(e.getKey(), e.getValue());
        }
        KafkaClusterTestKit cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster, dataDir);
        LOG.info(
                "Embedded Kafka broker ready at {} in {} ms (data in {})",
                broker.bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000,
                dataDir);
        return broker;
    }

    public static EmbeddedKafkaBroker start() throws Exception {
        return start(Map.of());
    }

    /**
     * The one broker of this JVM, started on first use and stopped when the JVM exits; test classes
     * share it (each test uses its own topic names).
     */
    public static synchronized EmbeddedKafkaBroker shared() throws Exception {
        if (shared == null) {
            EmbeddedKafkaBroker broker = start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(broker::closeQuietly, "embedded-kafka-stop"));
            shared = broker;
        }
        return shared;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A new admin client; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /**
     * Creates the topics (replication 1) and waits until every partition has a leader; existing
     * ones are kept.
     */
    public void createTopics(int partitions, String... names)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            createTopics(admin, partitions, names);
        }
    }

    /**
     * Creates the topics with {@code topicConfig} (e.g. none: the broker's limits, as a stock
     * cluster's topics have them) and waits until every partition has a leader.
     */
    public void createTopics(int partitions, Map<String, String> topicConfig, String... names)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            createTopics(admin, partitions, topicConfig, names);
        }
    }

    /**
     * Creates the topics through {@code admin} (replication 1, frames up to {@link
     * #MAX_MESSAGE_BYTES}) and waits until every partition has a leader; existing ones are kept.
     */
    static void createTopics(Admin admin, int partitions, String... names)
            throws ExecutionException, InterruptedException {
        createTopics(
                admin,
                partitions,
                Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)),
                names);
    }

    static void createTopics(
            Admin admin, int partitions, Map<String, String> topicConfig, String... names)
            throws ExecutionException, InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            NewTopic topic = new NewTopic(name, partitions, (short) 1);
            topic.configs(topicConfig);
            topics.add(topic);
        }
        for (var entry : admin.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        awaitLeaders(admin, List.of(names));
    }

    /** A producer that writes right after creation would otherwise get NOT_LEADER_OR_FOLLOWER. */
    static void awaitLeaders(Admin admin, List<String> names)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            boolean ready = true;
            try {
                for (TopicDescription d :
                        admin.describeTopics(names).allTopicNames().get().values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        ready &= p.leader() != null && !p.leader().isEmpty();
                    }
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false; // metadata not propagated yet
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics " + names + " have no leader after 30 s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            LOG.warn("Embedded Kafka broker did not stop cleanly", e);
        }
    }

    /** Where the broker keeps its logs (deleted on close). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * A test-kit builder for one combined broker/controller node. With one broker, the internal
     * topics must not ask for more replicas than exist, or consumer groups and transactions hang
     * waiting for them.
     */
    static KafkaClusterTestKit.Builder singleNode(TestKitNodes nodes) {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        singleNodeProperties().forEach(builder::setConfigProp);
        return builder;
    }

    /** Broker settings for a cluster of one node (the embedded, secure and forked brokers). */
    static Map<String, String> singleNodeProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "2");
        return p;
    }
}
