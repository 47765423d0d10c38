package io.frameflow.operators.policy;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Which frames each camera sheds before inference ({@link DropPolicy}). */
public final class DropPolicyOptions implements OptionGroup {

    public static final DropPolicyOptions GROUP = new DropPolicyOptions();

    public static final ConfigOption<Long> MAX_FRAME_AGE_MS =
            ConfigOptions.key("max-frame-age-ms")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "Drop frames older than this (capture time to arrival at the drop"
                                    + " policy, and again to the start of their inference) instead"
                                    + " of inferring them; bounds latency under overload. 0 ="
                                    + " never.");
    public static final ConfigOption<Double> MAX_FPS =
            ConfigOptions.key("max-fps")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Keep at most this many frames per second per camera; 0 = all.");
    public static final ConfigOption<Duration> CAMERA_IDLE_TIMEOUT =
            ConfigOptions.key("camera-idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(DropPolicy.DEFAULT_IDLE_STATE_TIMEOUT_MS))
                    .withDescription("The drop policy forgets a camera silent for this long.");

    private DropPolicyOptions() {}

    @Override
    public String title() {
        return "Drop policy";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(MAX_FRAME_AGE_MS, MAX_FPS, CAMERA_IDLE_TIMEOUT);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        problems.notNegative(config, MAX_FRAME_AGE_MS, " (0 = never drop for age)");
        problems.notNegative(config, MAX_FPS, " (0 = keep every frame)");
        problems.positive(config, CAMERA_IDLE_TIMEOUT);
    }

    /** The policy the options describe (checked by {@link #validate} first). */
    public static DropPolicy policy(ReadableConfig config) {
        return new DropPolicy(
                config.get(MAX_FRAME_AGE_MS),
                config.get(MAX_FPS),
                config.get(CAMERA_IDLE_TIMEOUT).toMillis());
    }
}
