package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.producer.produce.KafkaFrameProducer;
import io.frameflow.producer.record.CameraRecorder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliOptionsTest {

    private static String[] run(String... args) {
        CommandLine cli = FrameFlowCli.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {String.valueOf(code), err.toString()};
    }

    @Test
    void producerDefaultsAreTunedForFramesAndKafkaPropertiesOverrideThem() {
        Properties p =
                KafkaFrameProducer.properties(
                        "k:9092",
                        5,
                        1 << 20,
                        Map.of("security.protocol", "SASL_SSL", "linger.ms", "20"));
        assertThat(p)
                .containsEntry("max.request.size", String.valueOf(16 * 1024 * 1024))
                .containsEntry("compression.type", "none")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("acks", "all")
                .containsEntry("batch.size", String.valueOf(1 << 20))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("linger.ms", "20")
                // send() must not block through a broker outage (ProducerBrokerRestartITCase)
                .containsEntry("metadata.recovery.strategy", "none");
        assertThat(
                        KafkaFrameProducer.properties(
                                "k:9092",
                                5,
                                1 << 20,
                                Map.of("metadata.recovery.strategy", "rebootstrap")))
                .containsEntry("metadata.recovery.strategy", "rebootstrap");
    }

    @Test
    void kafkaPropertiesAreParsedInBothForms() {
        CommandLine cli = FrameFlowCli.newCommandLine();
        var spec = cli.getSubcommands().get("produce").getCommandSpec();
        assertThat(
                        KafkaClientProperties.parse(
                                List.of(
                                        "--kafka.security.protocol=SSL",
                                        "--kafka.ssl.truststore.location",
                                        "/t.jks",
                                        "--kafka.sasl.jaas.config=a=b c=d"),
                                spec))
                .containsExactly(
                        Map.entry("security.protocol", "SSL"),
                        Map.entry("ssl.truststore.location", "/t.jks"),
                        Map.entry("sasl.jaas.config", "a=b c=d"));
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhatIsWrong() {
        String[] r = run("produce", "--source", "a.mp4", "--bogus");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("Unknown option or argument: '--bogus'");
        r = run("produce", "--source", "a.mp4", "--source", "other/a.mkv");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("Camera id 'a' is used by two sources");
        r = run("produce", "--source", "a.mp4", "--quality", "0");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--quality must be 1..100");
        r = run("record", "--detections-out", "x.txt");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--detections-out must end with .csv or .json");
        r = run("record", "--reorder-frames", "-1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--reorder-frames must be >= 0");
        r = run("record", "--reorder-time", "soon");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("'soon' is not a duration");
    }

    @Test
    void recordingRateComesFromTheTimestamps() {
        assertThat(CameraRecorder.estimateFps(List.of(0L, 67L, 133L, 200L, 267L, 333L)))
                .isEqualTo(15.0);
        assertThat(CameraRecorder.estimateFps(List.of(1000L, 1100L, 1200L))).isEqualTo(10.0);
        assertThat(CameraRecorder.estimateFps(List.of(0L, 33L, 67L, 100L))).isEqualTo(30.0);
        assertThat(CameraRecorder.estimateFps(List.of(5L))).isEqualTo(25.0);
        assertThat(CameraRecorder.estimateFps(List.of(5L, 5L, 5L))).isEqualTo(25.0);
    }
}
