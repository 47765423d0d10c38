package io.frameflow.operators.time;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Each camera's own event-time clock, from its capture times ({@code CameraClockWindows}). The
 * job's Flink watermark is the wall clock ({@link ArrivalWatermarks}) and has no options.
 */
public final class EventTimeOptions implements OptionGroup {

    public static final EventTimeOptions GROUP = new EventTimeOptions();

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "How far a camera's capture times may go back, in the order its frames"
                                    + " were written to Kafka: a camera's stats window closes once"
                                    + " that camera's own frames are this far past the window's"
                                    + " end (each camera has its own clock: a camera with a fast or"
                                    + " slow clock, or a backlog, never makes another late).");

    private EventTimeOptions() {}

    @Override
    public String title() {
        return "Event time";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(OUT_OF_ORDERNESS);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        problems.notNegative(config, OUT_OF_ORDERNESS, "");
    }
}
