package io.frameflow.operators.time;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** How the watermark follows the cameras' capture times ({@link WallClockCappedWatermarks}). */
public final class EventTimeOptions implements OptionGroup {

    public static final EventTimeOptions GROUP = new EventTimeOptions();

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "How far capture times may be out of order (watermark delay).");
    public static final ConfigOption<Duration> SOURCE_IDLENESS =
            ConfigOptions.key("source-idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "A partition without frames for this long stops holding back the"
                                    + " watermark. Longer than a broker outage the stats windows must"
                                    + " ride out (shorter: a partition that resumes late finds its"
                                    + " backlog late); shorter: windows wait less for a partition that"
                                    + " has no cameras.");

    private EventTimeOptions() {}

    @Override
    public String title() {
        return "Event time";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(OUT_OF_ORDERNESS, SOURCE_IDLENESS);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        problems.notNegative(config, OUT_OF_ORDERNESS, "");
        problems.positive(config, SOURCE_IDLENESS);
    }
}
