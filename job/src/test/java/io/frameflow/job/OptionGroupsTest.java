package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.operators.config.OptionGroup;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** Every option is declared once, in one group, with a description the help can show. */
class OptionGroupsTest {

    @Test
    void eachKeyIsDeclaredOnceWithADescription() {
        List<String> keys = new ArrayList<>();
        for (OptionGroup group : FrameFlowOptions.GROUPS) {
            assertThat(group.title()).isNotBlank();
            assertThat(group.options()).isNotEmpty();
            for (ConfigOption<?> option : group.options()) {
                keys.add(option.key());
                assertThat(option.description().getBlocks())
                        .as("description of --%s", option.key())
                        .isNotEmpty();
            }
        }
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(keys).hasSize(FrameFlowOptions.all().size());
    }

    @Test
    void helpShowsEachGroupUnderItsTitle() {
        String help = FrameFlowOptions.help();
        for (OptionGroup group : FrameFlowOptions.GROUPS) {
            int title = help.indexOf("\n" + group.title() + ":\n");
            assertThat(title).as(group.title()).isPositive();
            // "--key VALUE", or "--flag" alone on its line for a boolean
            String first = "  --" + group.options().get(0).key();
            assertThat(
                            Math.max(
                                    help.indexOf(first + " ", title),
                                    help.indexOf(first + "\n", title)))
                    .isGreaterThan(title);
        }
    }

    /** Issue 14: the model path is parsed and checked once at start-up, by validate(). */
    @Test
    void validationBuildsTheDetectorSettingsOnce() {
        String model = io.frameflow.testkit.SharedResources.model("yolox_nano.onnx").toString();
        FrameFlowOptions options =
                FrameFlowOptions.fromArgs("--model", model, "--device", "CPU").validate();
        var settings = options.detectorSettings();
        assertThat(settings.model()).isEqualTo(java.nio.file.Path.of(model));
        assertThat(options.detectorSettings()).isSameAs(settings);
        assertThat(InferenceStage.settings(options)).isSameAs(settings);
    }
}
