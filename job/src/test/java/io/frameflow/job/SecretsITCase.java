package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.FlinkTestCluster;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SecureKafkaBroker;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, honest tests: what the job really exposes of a Kafka password. The job keeps {@code
 * --kafka.*} properties out of its Flink configuration, but program arguments are visible (the
 * submission, the FlinkDeployment, {@code ps}) and Flink masks nothing there. So the documented way
 * is Kafka's own config providers: the arguments carry a reference ({@code ${file:...}}), the
 * secret stays in a file (a mounted Kubernetes Secret). This runs the whole job that way against a
 * SASL_SSL/SCRAM-only broker: its start-up checks (Admin), source and exactly-once sinks log in,
 * frames come out, and neither the arguments nor any REST view of the job holds the password.
 */
class SecretsITCase {

    @RegisterExtension
    static final FlinkTestCluster<SecureKafkaBroker> CLUSTER =
            FlinkTestCluster.withBroker(() -> SecureKafkaBroker.start("frameflow-job"))
                    .slots(1)
                    .build();

    @Test
    void passwordsGivenAsFileReferencesReachKafkaAndNothingThatShowsTheJob(
            @InjectClusterRESTAddress URI rest, @TempDir Path dir) throws Exception {
        SecureKafkaBroker broker = CLUSTER.broker();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "secret-in-" + id;
        List<String> outputs =
                List.of(
                        "secret-det-" + id,
                        "secret-ann-" + id,
                        "secret-st-" + id,
                        "secret-dlq-" + id);
        broker.createTopics(1, in);
        broker.createTopics(1, outputs.toArray(String[]::new));
        Map<String, String> secure = broker.clientProperties();

        // the secrets file, as a mounted Secret would hold it
        Path secrets = dir.resolve("kafka-secrets.properties");
        Files.writeString(
                secrets,
                "sasl.jaas.config="
                        + secure.get("sasl.jaas.config").replace("\"", "\\\"")
                        + "\nssl.truststore.password="
                        + secure.get("ssl.truststore.password")
                        + "\n");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--topic.frames",
                                in,
                                "--topic.detections",
                                outputs.get(0),
                                "--topic.annotated",
                                outputs.get(1),
                                "--topic.stats",
                                outputs.get(2),
                                "--topic.dlq",
                                outputs.get(3),
                                "--model",
                                SharedResources.model("yolox_nano.onnx").toString(),
                                "--device",
                                "cpu",
                                "--starting-offsets",
                                "earliest",
                                "--checkpoint-interval",
                                "1 s",
                                "--kafka.security.protocol",
                                "SASL_SSL",
                                "--kafka.sasl.mechanism",
                                SecureKafkaBroker.MECHANISM,
                                "--kafka.ssl.truststore.type",
                                "PKCS12",
                                "--kafka.ssl.truststore.location",
                                secure.get("ssl.truststore.location"),
                                "--kafka.config.providers",
                                "file",
                                "--kafka.config.providers.file.class",
                                "org.apache.kafka.common.config.provider.FileConfigProvider",
                                "--kafka.sasl.jaas.config",
                                "${file:" + secrets + ":sasl.jaas.config}",
                                "--kafka.ssl.truststore.password",
                                "${file:" + secrets + ":ssl.truststore.password}"));
        assertThat(String.join(" ", args))
                .as("the command line, as ps and the FlinkDeployment show it")
                .doesNotContain(broker.password())
                .doesNotContain(broker.truststorePassword());

        FrameFlowOptions options =
                FrameFlowOptions.fromArgs(args.toArray(String[]::new)).validate();
        BrokerChecks.check(options); // start-up checks log in through Admin with the same settings

        List<SharedFrame> frames = SharedFrames.load().subList(0, 6);
        long base = System.currentTimeMillis() - 30_000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (SharedFrame f : frames) {
            records.add(WireRecords.frame(in, f.camera(), f.seq(), base + f.seq() * 100, f.jpeg()));
        }
        KafkaTopics.publish(broker.bootstrapServers(), records, secure);

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FrameFlowJob.flinkConfiguration(options));
        env.setParallelism(1);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        JobClient job = env.executeAsync("secrets " + id);
        try {
            List<ConsumerRecord<byte[], byte[]>> detections =
                    KafkaTopics.read(
                            broker.bootstrapServers(),
                            outputs.get(0),
                            frames.size(),
                            Duration.ofSeconds(90),
                            Duration.ofSeconds(1),
                            true,
                            secure);
            assertThat(detections).hasSize(frames.size());

            HttpClient http = HttpClient.newHttpClient();
            String jobPath = "/jobs/" + job.getJobID();
            StringBuilder views = new StringBuilder();
            for (String path :
                    List.of(
                            jobPath,
                            jobPath + "/config",
                            jobPath + "/plan",
                            jobPath + "/jobmanager/config",
                            "/jobmanager/config",
                            "/taskmanagers")) {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(rest.resolve(path)).build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
                views.append(r.body());
            }
            assertThat(views.toString())
                    .as("REST views of the job")
                    .doesNotContain(broker.password())
                    .doesNotContain(broker.truststorePassword());
        } finally {
            job.cancel().get();
        }
    }
}
