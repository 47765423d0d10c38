package io.frameflow.operators.stats;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** The per-camera stats windows, each camera on its own capture-time clock. */
public final class WindowOptions implements OptionGroup {

    public static final WindowOptions GROUP = new WindowOptions();

    public static final ConfigOption<Duration> WINDOW_SIZE =
            ConfigOptions.key("window-size")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Size of the per-camera event-time tumbling stats windows.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Late frames within this update a fired window (it fires again).");

    public static final ConfigOption<Duration> CLOSE_WINDOWS_AFTER =
            ConfigOptions.key("close-windows-after")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "A camera that sends no frame for this long (while the job runs) has"
                                    + " its open stats windows emitted and closed: nothing else"
                                    + " moves a camera's clock. Longer than the outages (broker,"
                                    + " camera uplink) whose backlog the windows must still count;"
                                    + " shorter: the last window of a camera that stopped comes out"
                                    + " sooner.");

    public static final ConfigOption<Duration> SITE_LATENESS =
            ConfigOptions.key("site-lateness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How long a site's window (frames.sites) waits for its cameras after"
                                    + " the first of them closed it; a camera window arriving later"
                                    + " gives the site window again with the next revision, until"
                                    + " twice this, then it is counted as late and left out.");

    private WindowOptions() {}

    @Override
    public String title() {
        return "Stats windows";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(WINDOW_SIZE, ALLOWED_LATENESS, CLOSE_WINDOWS_AFTER, SITE_LATENESS);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        problems.positive(config, WINDOW_SIZE);
        problems.notNegative(config, ALLOWED_LATENESS, "");
        problems.positive(config, CLOSE_WINDOWS_AFTER);
    }
}
