package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.operators.config.Problems;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.junit.jupiter.api.Test;

/** The inference options: declared once, checked together, parsed into one settings value. */
class InferenceOptionsTest {

    private static final String MODEL = SharedResources.model("yolox_nano.onnx").toString();

    private static Configuration config(String... keyValues) {
        Configuration c = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            c.setString(keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    private static Problems problems(Configuration c) {
        Problems p = new Problems();
        InferenceOptions.GROUP.validate(c, p);
        return p;
    }

    private static String text(ConfigOption<?> option) {
        return new HtmlFormatter().format(option.description());
    }

    @Test
    void everyOptionIsDeclaredOnceWithADescription() {
        assertThat(InferenceOptions.GROUP.options())
                .extracting(ConfigOption::key)
                .containsExactly(
                        "shared-dir",
                        "model",
                        "models",
                        "model-format",
                        "labels",
                        "device",
                        "score-threshold",
                        "max-batch",
                        "max-batch-delay",
                        "async-timeout",
                        "async-capacity",
                        "model-poll-interval");
        for (ConfigOption<?> o : InferenceOptions.GROUP.options()) {
            assertThat(text(o)).as(o.key()).isNotBlank();
        }
        assertThat(text(InferenceOptions.MODEL_FORMAT))
                .contains(
                        "auto, ultralytics-pose, ultralytics, yolov5, yolox, fastestdet, ultraface, yunet");
    }

    @Test
    void settingsCarryTheParsedValues() {
        DetectorSettings s =
                InferenceOptions.settings(
                        config(
                                "model", MODEL,
                                "model-format", "YOLOX",
                                "device", "CUDA:1",
                                "score-threshold", "0.4",
                                "max-batch", "4",
                                "max-batch-delay", "7 ms",
                                "async-capacity", "10"));
        assertThat(s.model()).isEqualTo(Path.of(MODEL));
        assertThat(s.modelName()).isEqualTo("yolox_nano");
        assertThat(s.format()).isEqualTo(ModelFormat.YOLOX);
        assertThat(s.device()).isEqualTo(new DeviceSpec(DeviceSpec.Kind.CUDA, 1));
        assertThat(s.scoreThreshold()).contains(0.4f);
        assertThat(s.labels()).isEmpty();
        assertThat(s.maxBatch()).isEqualTo(4);
        assertThat(s.maxBatchDelay()).isEqualTo(Duration.ofMillis(7));
        // the batcher's bound: the async capacity plus as many frames Flink timed out
        assertThat(s.maxInflight()).isEqualTo(20);
        DetectorSettings defaults = InferenceOptions.settings(config("model", MODEL));
        assertThat(defaults.format()).isEqualTo(ModelFormat.AUTO);
        assertThat(defaults.device()).isEqualTo(DeviceSpec.AUTO);
        assertThat(defaults.scoreThreshold()).isEmpty();
        assertThat(defaults.maxBatchDelay()).isEqualTo(Duration.ofMillis(5));
        assertThat(defaults.maxInflight()).isEqualTo(64);
    }

    @Test
    void otherModelsRunAsTheMainOneWithTheirOwnLayoutAndScoreAndNeedDistinctNames() {
        String yunet = SharedResources.model("yunet_n_dynamic.onnx").toString();
        Configuration c =
                config(
                        "model", MODEL,
                        "model-format", "yolox",
                        "score-threshold", "0.4",
                        "device", "cpu",
                        "max-batch", "4",
                        "models", " " + yunet + " , ");
        DetectorSettings main = InferenceOptions.settings(c);
        Problems problems = new Problems();
        List<DetectorSettings> others = InferenceOptions.others(c, main, problems);
        assertThat(problems.messages()).isEmpty();
        assertThat(others).hasSize(1);
        DetectorSettings other = others.get(0);
        assertThat(other.modelName()).isEqualTo("yunet_n_dynamic");
        assertThat(other.format()).isEqualTo(ModelFormat.AUTO);
        assertThat(other.scoreThreshold()).isEmpty();
        assertThat(other.device()).isEqualTo(main.device());
        assertThat(other.maxBatch()).isEqualTo(4);

        Configuration bad = config("model", MODEL, "models", MODEL + ",no/such.onnx");
        Problems refused = new Problems();
        assertThat(InferenceOptions.others(bad, InferenceOptions.settings(bad), refused)).isEmpty();
        assertThat(refused.messages())
                .anySatisfy(m -> assertThat(m).contains("two models are named 'yolox_nano'"))
                .anySatisfy(
                        m -> assertThat(m).contains("--models file no/such.onnx does not exist"));
    }

    @Test
    void withoutModelTheSharedDirectorysDefaultIsUsed() {
        Configuration c = config("shared-dir", "some/dir");
        assertThat(InferenceOptions.modelPath(c))
                .isEqualTo(Path.of("some/dir", "models", InferenceOptions.DEFAULT_MODEL_FILE));
        assertThat(problems(c).messages())
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains("No model at ")
                                        .contains("Ultralytics")
                                        .contains("YOLOX")
                                        .contains("--model"));
    }

    @Test
    void everyProblemIsListedAtOnceWithTheFlagToFix() {
        Configuration c =
                config(
                        "model", MODEL,
                        "device", "gpu",
                        "model-format", "yolov9",
                        "score-threshold", "1.5",
                        "labels", "no/such/labels.txt",
                        "max-batch", "0",
                        "async-capacity", "0");
        assertThat(String.join("\n", problems(c).messages()))
                .contains(
                        "--device must be auto, cpu, cuda or cuda:N, got 'gpu' (did you mean cuda?)")
                .contains(
                        "--model-format must be one of auto, ultralytics-pose, ultralytics, yolov5, yolox,"
                                + " fastestdet, ultraface, yunet; got 'yolov9'")
                .contains("--score-threshold must be in (0, 1), got 1.5")
                .contains("--labels file no/such/labels.txt does not exist")
                .contains("--max-batch must be > 0")
                .contains("--async-capacity must be > 0");
        assertThatThrownBy(() -> InferenceOptions.settings(c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("FrameFlow cannot start:")
                .hasMessageContaining("did you mean cuda?");
        assertThat(problems(config("model", MODEL)).isEmpty()).isTrue();
    }

    @Test
    void settingsSurviveJavaSerialization() throws Exception {
        DetectorSettings s =
                InferenceOptions.settings(
                        config(
                                "model",
                                MODEL,
                                "labels",
                                SharedResources.model("coco80.txt").toString()));
        DetectorSettings copy =
                org.apache.flink.util.InstantiationUtil.clone(s, getClass().getClassLoader());
        assertThat(copy.model()).isEqualTo(s.model());
        assertThat(copy.labels()).isEqualTo(s.labels());
        assertThat(copy.device()).isEqualTo(s.device());
        assertThat(copy.toString()).contains("yolox_nano");
    }
}
