package io.frameflow.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.connectors.sink.SinkOptions;
import io.frameflow.connectors.source.SourceOptions;
import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SecureKafkaBroker;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, access: the connectors' source and exactly-once sinks run on a MiniCluster against a
 * broker that only serves SASL_SSL with SCRAM-SHA-512 (certificates made in the test); wrong
 * credentials fail the job fast with the broker's reason; the password does not show up in the logs
 * (Kafka and Flink at INFO). What the whole job exposes (arguments, REST views) is the job module's
 * {@code SecretsITCase}.
 */
class SecureKafkaITCase {

    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final FlinkTestCluster<SecureKafkaBroker> CLUSTER =
            FlinkTestCluster.withBroker(() -> SecureKafkaBroker.start("frameflow-job"))
                    .slots(PARALLELISM)
                    .build();

    private static SecureKafkaBroker broker() {
        return CLUSTER.broker();
    }

    @Test
    void framesGoThroughTheValidationPipelineOverTlsAndScramWithoutLeakingThePassword()
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "sec-in-" + id;
        String out = "sec-out-" + id;
        String dlq = "sec-dlq-" + id;
        broker().createTopics(PARALLELISM, in, out, dlq);
        Map<String, String> secure = broker().clientProperties();

        List<SharedFrame> frames = SharedFrames.load().subList(0, 20);
        long base = System.currentTimeMillis() - 30_000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (SharedFrame f : frames) {
            records.add(WireRecords.frame(in, f.camera(), f.seq(), base + f.seq() * 100, f.jpeg()));
        }
        records.add(new ProducerRecord<>(in, null, base, null, frames.get(0).jpeg())); // no key

        try (LogCapture logs = new LogCapture()) {
            KafkaTopics.publish(broker().bootstrapServers(), records, secure);

            StreamExecutionEnvironment env = TestEnvironments.kryoFree();
            env.setParallelism(PARALLELISM);
            env.enableCheckpointing(500);
            PassThroughITCase.buildPassThrough(
                    env,
                    secureSource(SourceOptions.of(broker().bootstrapServers(), in, "sec-" + id)),
                    secureSink(SinkOptions.exactlyOnce(broker().bootstrapServers(), out, "sec-o")),
                    secureSink(SinkOptions.exactlyOnce(broker().bootstrapServers(), dlq, "sec-d")));
            JobClient job = env.executeAsync("secure pass-through " + id);
            try {
                List<ConsumerRecord<byte[], byte[]>> back =
                        KafkaTopics.read(
                                broker().bootstrapServers(),
                                out,
                                frames.size(),
                                Duration.ofSeconds(60),
                                Duration.ofSeconds(1),
                                true,
                                secure);
                assertThat(back).hasSize(frames.size());
                Map<String, byte[]> sent = new java.util.HashMap<>();
                frames.forEach(f -> sent.put(f.camera() + "/" + f.seq(), f.jpeg()));
                for (ConsumerRecord<byte[], byte[]> r : back) {
                    String key =
                            new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)
                                    + "/"
                                    + WireRecords.header(r.headers(), "seq");
                    assertThat(r.value()).as(key).isEqualTo(sent.remove(key));
                }
                assertThat(sent).as("frames not read back").isEmpty();
                List<ConsumerRecord<byte[], byte[]>> dead =
                        KafkaTopics.read(
                                broker().bootstrapServers(),
                                dlq,
                                1,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(1),
                                true,
                                secure);
                assertThat(dead).hasSize(1);
                assertThat(WireRecords.deadLetter(dead.get(0)).reasonCode())
                        .isEqualTo("missing-key");

            } finally {
                job.cancel().get();
            }
            String captured = logs.text();
            // the capture did see the clients' configuration dumps...
            assertThat(captured).contains("sasl.jaas.config = [hidden]");
            assertThat(captured).contains("security.protocol = SASL_SSL");
            // ...and never the secrets
            assertThat(captured).doesNotContain(broker().password());
            assertThat(captured).doesNotContain(broker().truststorePassword());
        }
    }

    @Test
    void wrongCredentialsFailTheJobFastWithTheBrokersReason() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "secw-in-" + id;
        broker().createTopics(1, in);
        String wrong = "wrong-" + id;
        Map<String, String> bad = broker().clientProperties(broker().user(), wrong);
        SourceOptions source = SourceOptions.of(broker().bootstrapServers(), in, "secw-" + id);
        for (Map.Entry<String, String> e : bad.entrySet()) {
            source = source.withConsumerProperty(e.getKey(), e.getValue());
        }
        SinkOptions sink = SinkOptions.atLeastOnce(broker().bootstrapServers(), "secw-out-" + id);
        for (Map.Entry<String, String> e : bad.entrySet()) {
            sink = sink.withProducerProperty(e.getKey(), e.getValue());
        }
        StreamExecutionEnvironment env = TestEnvironments.kryoFree();
        env.setParallelism(1);
        PassThroughITCase.buildPassThrough(env, source, sink, sink.withTopic("secw-dlq-" + id));

        long t0 = System.nanoTime();
        try (LogCapture logs = new LogCapture()) {
            CompletableFuture<Void> run =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    env.execute("wrong credentials " + id);
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
            assertThatThrownBy(() -> run.get(90, TimeUnit.SECONDS))
                    .satisfies(
                            e -> {
                                var sasl =
                                        ExceptionUtils.findThrowable(
                                                e, SaslAuthenticationException.class);
                                assertThat(sasl).as("cause chain of %s", e).isPresent();
                                assertThat(sasl.get().getMessage())
                                        .contains("invalid credentials")
                                        .contains("SCRAM-SHA-512");
                            });
            assertThat(logs.text()).doesNotContain(wrong);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("Wrong credentials: job failed after " + took.toMillis() + " ms");
        assertThat(took).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void flinkMasksTheKafkaSecretKeysItKnows() {
        // keys the job may carry in its Flink configuration (e.g. kafka.<client property>)
        assertThat(GlobalConfiguration.isSensitive("kafka.sasl.jaas.config")).isTrue();
        assertThat(GlobalConfiguration.isSensitive("properties.sasl.jaas.config")).isTrue();
        assertThat(GlobalConfiguration.isSensitive("kafka.ssl.truststore.password")).isTrue();
        assertThat(GlobalConfiguration.isSensitive("kafka.ssl.keystore.password")).isTrue();
        assertThat(GlobalConfiguration.isSensitive("kafka.ssl.key.password")).isTrue();
        // not secrets, shown as they are
        assertThat(GlobalConfiguration.isSensitive("kafka.sasl.mechanism")).isFalse();
        assertThat(GlobalConfiguration.isSensitive("kafka.ssl.truststore.location")).isFalse();
        // a password under a key without a sensitive word is NOT masked: never invent such keys
        assertThat(GlobalConfiguration.isSensitive("kafka.sasl.credentials")).isFalse();
    }

    private static SourceOptions secureSource(SourceOptions o) {
        for (Map.Entry<String, String> e : broker().clientProperties().entrySet()) {
            o = o.withConsumerProperty(e.getKey(), e.getValue());
        }
        return o;
    }

    private static SinkOptions secureSink(SinkOptions o) {
        for (Map.Entry<String, String> e : broker().clientProperties().entrySet()) {
            o = o.withProducerProperty(e.getKey(), e.getValue());
        }
        return o;
    }

    /** Everything Kafka, Flink and FrameFlow log at INFO and above while open. */
    static final class LogCapture implements AutoCloseable {
        private static final String[] LOGGERS = {"org.apache.kafka", "org.apache.flink"};
        private final StringWriter out = new StringWriter();
        private final WriterAppender appender;
        private final LoggerContext ctx;
        private final Map<String, Level> before = new java.util.HashMap<>();

        LogCapture() {
            ctx = (LoggerContext) LogManager.getContext(false);
            appender =
                    WriterAppender.newBuilder()
                            .setName("capture-" + UUID.randomUUID())
                            .setTarget(out)
                            .setLayout(
                                    PatternLayout.newBuilder()
                                            .withPattern("%p %c - %m%n%throwable")
                                            .build())
                            .build();
            appender.start();
            ctx.getConfiguration().addAppender(appender);
            ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
            for (String name : LOGGERS) {
                before.put(name, LogManager.getLogger(name).getLevel());
                Configurator.setLevel(name, Level.INFO);
                // captured only: the INFO config dumps would flood the console
                LoggerConfig lc = ctx.getConfiguration().getLoggerConfig(name);
                lc.addAppender(appender, Level.ALL, null);
                lc.setAdditive(false);
            }
            ctx.updateLoggers();
        }

        String text() {
            synchronized (out) {
                return out.toString();
            }
        }

        @Override
        public void close() {
            ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
            for (String name : LOGGERS) {
                LoggerConfig lc = ctx.getConfiguration().getLoggerConfig(name);
                lc.removeAppender(appender.getName());
                lc.setAdditive(true);
            }
            before.forEach(Configurator::setLevel);
            ctx.updateLoggers();
            appender.stop();
        }
    }
}
