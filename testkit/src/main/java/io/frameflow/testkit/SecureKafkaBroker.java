package io.frameflow.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker whose client listener {@code SECURE} speaks SASL_SSL with
 * SCRAM-SHA-512: a test CA, a broker certificate for {@code localhost} and a client truststore are
 * made with the JDK's {@code keytool} in a temp directory, and one SCRAM user is created through
 * the Admin API before any client connects.
 *
 * <p>The test kit's own {@code EXTERNAL} PLAINTEXT listener stays for the inter-broker traffic and
 * for this class's admin work (creating the user, topics): SCRAM credentials must exist before the
 * first SCRAM login, so the harness needs a door that does not need them. Clients under test get
 * only {@link #bootstrapServers()}, the SASL_SSL listener.
 */
public final class SecureKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecureKafkaBroker.class);

    public static final String LISTENER = "SECURE";
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final KafkaClusterTestKit cluster;
    private final Path dir;
    private final Path truststore;
    private final String storePassword;
    private final String user;
    private final String password;

    private SecureKafkaBroker(
            KafkaClusterTestKit cluster,
            Path dir,
            Path truststore,
            String storePassword,
            String user,
            String password) {
        this.cluster = cluster;
        this.dir = dir;
        this.truststore = truststore;
        this.storePassword = storePassword;
        this.user = user;
        this.password = password;
    }

    /** Starts the broker with a fresh CA and a SCRAM user {@code user} with a random password. */
    public static SecureKafkaBroker start(String user) throws Exception {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a SCRAM user name is required");
        }
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("frameflow-tls-");
        String storePassword = randomSecret();
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("truststore.p12");
        makeCertificates(dir, keystore, truststore, storePassword);

        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dir.resolve("kafka"))
                        .build();
        String external = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        KafkaClusterTestKit.Builder builder = EmbeddedKafkaBroker.singleNode(nodes);
        builder.setConfigProp(
                "message.max.bytes", String.valueOf(EmbeddedKafkaBroker.MAX_MESSAGE_BYTES));
        builder.setConfigProp("log.cleaner.enable", "false");
        builder.setConfigProp(
                "listener.security.protocol.map",
                external + ":PLAINTEXT," + controller + ":PLAINTEXT," + LISTENER + ":SASL_SSL");
        // the test kit binds EXTERNAL and CONTROLLER itself (port 0 is replaced by its sockets)
        builder.setConfigProp(
                "listeners",
                external
                        + "://localhost:0,"
                        + controller
                        + "://localhost:0,"
                        + LISTENER
                        + "://localhost:0");
        builder.setConfigProp("inter.broker.listener.name", external);
        String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
        builder.setConfigProp(prefix + "sasl.enabled.mechanisms", MECHANISM);
        builder.setConfigProp(
                prefix + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        builder.setConfigProp(prefix + "ssl.keystore.type", "PKCS12");
        builder.setConfigProp(prefix + "ssl.keystore.location", keystore.toString());
        builder.setConfigProp(prefix + "ssl.keystore.password", storePassword);
        builder.setConfigProp(prefix + "ssl.key.password", storePassword);
        KafkaClusterTestKit cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        String password = randomSecret();
        SecureKafkaBroker broker =
                new SecureKafkaBroker(cluster, dir, truststore, storePassword, user, password);
        broker.createScramUser(user, password);
        LOG.info(
                "Secure Kafka broker (SASL_SSL, {}) ready at {} in {} ms",
                MECHANISM,
                broker.bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000);
        return broker;
    }

    /** The SASL_SSL listener, {@code localhost:<port>}. */
    public String bootstrapServers() {
        int port =
                cluster.brokers().values().iterator().next().boundPort(new ListenerName(LISTENER));
        return "localhost:" + port;
    }

    public String user() {
        return user;
    }

    /** The SCRAM user's password (random per broker). */
    public String password() {
        return password;
    }

    public Path truststore() {
        return truststore;
    }

    public String truststorePassword() {
        return storePassword;
    }

    /** The JAAS line a client logs in with. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    /** Client properties for the SASL_SSL listener as {@code user}/{@code password}. */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new HashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaasConfig(user, password));
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", storePassword);
        return p;
    }

    /** Client properties with the right credentials. */
    public Map<String, String> clientProperties() {
        return clientProperties(user, password);
    }

    /** An admin client on the harness's PLAINTEXT listener; the caller closes it. */
    public Admin harnessAdmin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return Admin.create(props);
    }

    /** Creates topics (replication 1) through the harness listener. */
    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = harnessAdmin()) {
            List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(
                        new org.apache.kafka.clients.admin.NewTopic(n, partitions, (short) 1)
                                .configs(
                                        Map.of(
                                                "max.message.bytes",
                                                String.valueOf(
                                                        EmbeddedKafkaBroker.MAX_MESSAGE_BYTES))));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            // right after creation describeTopics can still say UnknownTopicOrPartition; the
            // embedded broker's wait counts that as "not yet" instead of failing the caller
            EmbeddedKafkaBroker.awaitLeaders(admin, List.of(names));
        }
    }

    private void createScramUser(String name, String secret) throws Exception {
        try (Admin admin = harnessAdmin()) {
            admin.alterUserScramCredentials(
                            List.of(
                                    new UserScramCredentialUpsertion(
                                            name,
                                            new ScramCredentialInfo(
                                                    ScramMechanism.SCRAM_SHA_512, 4096),
                                            secret)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // the credential reaches the broker through the metadata log: wait until it is there
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (admin.describeUserScramCredentials(List.of(name))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM user " + name + " not visible");
                }
                Thread.sleep(50);
            }
        }
    }

    /** CA, broker key pair signed by it (SAN localhost, 127.0.0.1), truststore with the CA. */
    private static void makeCertificates(
            Path dir, Path keystore, Path truststore, String storePassword)
            throws IOException, InterruptedException {
        Path ca = dir.resolve("ca.p12");
        Path caCert = dir.resolve("ca.crt");
        Path csr = dir.resolve("broker.csr");
        Path brokerCert = dir.resolve("broker.crt");
        String san = "SAN=dns:localhost,ip:127.0.0.1";
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=FrameFlow test CA",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ca.toString(),
                "-storepass",
                storePassword);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-storepass",
                storePassword,
                "-file",
                caCert.toString());
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                san,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                storePassword);
        keytool(
                "-certreq",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                storePassword,
                "-file",
                csr.toString());
        keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-storepass",
                storePassword,
                "-infile",
                csr.toString(),
                "-outfile",
                brokerCert.toString(),
                "-ext",
                san,
                "-validity",
                "2",
                "-rfc");
        importCert("ca", caCert, keystore, storePassword);
        importCert("broker", brokerCert, keystore, storePassword);
        importCert("ca", caCert, truststore, storePassword);
    }

    /** Adds {@code cert} to the PKCS12 {@code store} under {@code alias}. */
    private static void importCert(String alias, Path cert, Path store, String storePassword)
            throws IOException, InterruptedException {
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                alias,
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                storePassword);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "keytool "
                            + args[0]
                            + " failed: "
                            + new String(out, StandardCharsets.UTF_8).trim());
        }
    }

    private static String randomSecret() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
