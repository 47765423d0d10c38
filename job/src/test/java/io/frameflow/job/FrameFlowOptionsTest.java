package io.frameflow.job;

import static io.frameflow.connectors.KafkaOptions.*;
import static io.frameflow.connectors.source.InputOptions.*;
import static io.frameflow.job.JobOptions.*;
import static io.frameflow.operators.annotate.AnnotateOptions.*;
import static io.frameflow.operators.policy.DropPolicyOptions.*;
import static io.frameflow.operators.stats.WindowOptions.*;
import static io.frameflow.operators.time.EventTimeOptions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.testkit.SharedResources;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

class FrameFlowOptionsTest {

    private static final String MODEL = SharedResources.model("yolox_nano.onnx").toString();

    @Test
    void defaultsMatchTheDocumentedOnes() {
        FrameFlowOptions o = FrameFlowOptions.fromArgs();
        assertThat(o.get(WINDOW_SIZE)).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.get(TOPIC_FRAMES)).isEqualTo("frames");
        assertThat(o.get(TOPIC_STATS)).isEqualTo("frames.stats");
        assertThat(o.get(MAX_FPS)).isZero();
        assertThat(o.get(MAX_FRAME_AGE_MS)).isZero();
        assertThat(o.get(BOUNDED)).isFalse();
        assertThat(o.annotatedExactlyOnce()).isFalse();
        assertThat(o.get(MAX_FRAME_BYTES)).isEqualTo(MemorySize.parse("8mb"));
        assertThat(o.getOptional(PARALLELISM)).isEmpty();
        assertThat(o.get(MAX_FUTURE_SKEW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.get(BUFFER_TIMEOUT)).isEqualTo(Duration.ZERO);
        assertThat(o.get(ANNOTATED_MAX_WIDTH)).isEqualTo(1280);
        assertThat(o.get(CLOSE_WINDOWS_AFTER)).isEqualTo(Duration.ofSeconds(60));
        assertThat(
                        FrameFlowJob.flinkConfiguration(o)
                                .get(org.apache.flink.configuration.PipelineOptions.OBJECT_REUSE))
                .isTrue();
        assertThat(
                        FrameFlowJob.flinkConfiguration(o)
                                .get(
                                        org.apache.flink.configuration.ExecutionOptions
                                                .BUFFER_TIMEOUT))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void maxFutureSkewIsParsedAndMustBePositive() {
        assertThat(FrameFlowOptions.fromArgs("--max-future-skew", "3 s").get(MAX_FUTURE_SKEW))
                .isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(
                        () ->
                                FrameFlowOptions.fromArgs(
                                                "--model", MODEL, "--max-future-skew", "0 s")
                                        .validate())
                .hasMessageContaining("--max-future-skew must be > 0");
    }

    @Test
    void parsesSpaceAndEqualsFormsFlagsAndKafkaPassthrough() {
        FrameFlowOptions o =
                FrameFlowOptions.fromArgs(
                        "--bootstrap-servers",
                        "broker:9093",
                        "--window-size=30 s",
                        "--max-fps",
                        "5",
                        "--bounded",
                        "--annotated-delivery",
                        "exactly-once",
                        "--kafka.security.protocol",
                        "SASL_SSL",
                        "--kafka.sasl.mechanism=PLAIN",
                        "--parallelism",
                        "4");
        assertThat(o.get(BOOTSTRAP_SERVERS)).isEqualTo("broker:9093");
        assertThat(o.get(WINDOW_SIZE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.get(MAX_FPS)).isEqualTo(5.0);
        assertThat(o.get(BOUNDED)).isTrue();
        assertThat(o.annotatedExactlyOnce()).isTrue();
        assertThat(o.get(PARALLELISM)).isEqualTo(4);
        assertThat(o.kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void unknownOptionSuggestsTheClosestOne() {
        assertThatThrownBy(() -> FrameFlowOptions.fromArgs("--windowsize", "10 s"))
                .hasMessageContaining("Unknown option --windowsize")
                .hasMessageContaining("did you mean --window-size?");
    }

    @Test
    void malformedValueNamesTheOption() {
        assertThatThrownBy(() -> FrameFlowOptions.fromArgs("--window-size", "ten seconds"))
                .hasMessageContaining("--window-size")
                .hasMessageContaining("ten seconds");
        assertThatThrownBy(() -> FrameFlowOptions.fromArgs("--max-batch", "lots"))
                .hasMessageContaining("--max-batch");
        assertThatThrownBy(() -> FrameFlowOptions.fromArgs("--model"))
                .hasMessageContaining("--model needs a value");
    }

    @Test
    void missingModelSaysHowToGetOne() {
        Path nowhere = Path.of("target", "no-such-dir");
        assertThatThrownBy(
                        () ->
                                FrameFlowOptions.fromArgs("--shared-dir", nowhere.toString())
                                        .validate())
                .hasMessageContaining(
                        nowhere.resolve("models")
                                .resolve("yolox_nano.onnx")
                                .toAbsolutePath()
                                .toString())
                .hasMessageContaining("Ultralytics")
                .hasMessageContaining("YOLOX")
                .hasMessageContaining("--model");
    }

    @Test
    void validateListsEveryProblemAtOnce() {
        assertThatThrownBy(
                        () ->
                                FrameFlowOptions.fromArgs(
                                                "--model",
                                                MODEL,
                                                "--device",
                                                "tpu",
                                                "--max-fps",
                                                "-1",
                                                "--annotated-delivery",
                                                "maybe",
                                                "--topic.stats",
                                                "bad topic",
                                                "--score-threshold",
                                                "1.5")
                                        .validate())
                .hasMessageContaining("--device must be auto, cpu, cuda or cuda:N")
                .hasMessageContaining("--max-fps must be >= 0")
                .hasMessageContaining("--annotated-delivery must be")
                .hasMessageContaining("--topic.stats 'bad topic'")
                .hasMessageContaining("--score-threshold must be in (0, 1)");
    }

    @Test
    void transactionTimeoutMustExceedCheckpointInterval() {
        assertThatThrownBy(
                        () ->
                                FrameFlowOptions.fromArgs(
                                                "--model",
                                                MODEL,
                                                "--checkpoint-interval",
                                                "5 min",
                                                "--transaction-timeout",
                                                "10 min")
                                        .validate())
                .hasMessageContaining("--transaction-timeout");
    }

    @Test
    void exactlyOnceIsRefusedWhereTheKafkaClientCannotRunIt() {
        FrameFlowOptions eo =
                FrameFlowOptions.fromArgs("--model", MODEL, "--delivery", "exactly-once");
        FrameFlowOptions auto = FrameFlowOptions.fromArgs("--model", MODEL);
        if (io.frameflow.connectors.sink.ExactlyOnceSupport.available()) {
            assertThat(eo.validate().resultsExactlyOnce()).isTrue();
            assertThat(auto.resultsExactlyOnce()).isTrue();
        } else {
            assertThatThrownBy(eo::validate)
                    .hasMessageContaining("exactly-once delivery was asked for")
                    .hasMessageContaining("--delivery at-least-once");
            assertThat(auto.validate().resultsExactlyOnce()).isFalse();
        }
        assertThat(FrameFlowOptions.fromArgs("--delivery", "at-least-once").resultsExactlyOnce())
                .isFalse();
    }

    @Test
    void validOptionsPass() {
        FrameFlowOptions o = FrameFlowOptions.fromArgs("--model", MODEL, "--device", "cuda:1");
        assertThat(o.validate()).isSameAs(o);
        assertThat(o.modelPath()).isEqualTo(Path.of(MODEL));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = FrameFlowOptions.help();
        for (ConfigOption<?> option : FrameFlowOptions.all()) {
            assertThat(help).contains("--" + option.key());
        }
        assertThat(help).contains("Default: 10 s").contains("Default: frames.stats");
        assertThat(help).contains("--kafka.<property>");
        assertThat(FrameFlowOptions.wantsHelp(new String[] {"--help"})).isTrue();
    }
}
