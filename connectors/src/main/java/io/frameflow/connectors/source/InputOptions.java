package io.frameflow.connectors.source;

import io.frameflow.connectors.KafkaOptions;
import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import io.frameflow.records.wire.FrameWire;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

/** How the frame source reads and what the edge validator lets through. */
public final class InputOptions implements OptionGroup {

    public static final InputOptions GROUP = new InputOptions();

    private static final long MAX_FRAME_BYTES_LIMIT = 64L << 20;

    public static final ConfigOption<String> STARTING_OFFSETS =
            ConfigOptions.key("starting-offsets")
                    .stringType()
                    .defaultValue("committed")
                    .withDescription(
                            "Where to start reading without a checkpoint: committed (falls back to"
                                    + " earliest), earliest, latest or timestamp:<ms>.");
    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read up to the latest offsets present at start, then finish (process"
                                    + " a recorded video end to end as a batch).");
    public static final ConfigOption<MemorySize> MAX_FRAME_BYTES =
            ConfigOptions.key("max-frame-bytes")
                    .memoryType()
                    .defaultValue(new MemorySize(FrameWire.DEFAULT_MAX_FRAME_BYTES))
                    .withDescription("Larger input records go to the dead-letter topic.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofMillis(FrameWire.DEFAULT_MAX_FUTURE_SKEW_MS))
                    .withDescription(
                            "Frames stamped further than this ahead of the wall clock go to the"
                                    + " dead-letter topic (a camera with a wrong clock would otherwise"
                                    + " push the watermark ahead and make other cameras' frames late)."
                                    + " Keep it near --out-of-orderness where camera clocks are"
                                    + " synced.");

    private InputOptions() {}

    @Override
    public String title() {
        return "Input";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(STARTING_OFFSETS, BOUNDED, MAX_FRAME_BYTES, MAX_FUTURE_SKEW);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        try {
            StartingOffsets.parse(config.get(STARTING_OFFSETS));
        } catch (IllegalArgumentException e) {
            problems.add("--starting-offsets: " + e.getMessage() + ".");
        }
        long bytes = config.get(MAX_FRAME_BYTES).getBytes();
        problems.check(
                bytes >= 1 && bytes <= MAX_FRAME_BYTES_LIMIT,
                "--max-frame-bytes must be between 1 byte and 64mb.");
        problems.positive(config, MAX_FUTURE_SKEW);
    }

    /** The source's settings from the options (checked by {@link #validate} first). */
    public static SourceOptions source(ReadableConfig config, Map<String, String> clientProps) {
        return new SourceOptions(
                config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                config.get(KafkaOptions.TOPIC_FRAMES),
                config.get(KafkaOptions.GROUP_ID),
                StartingOffsets.parse(config.get(STARTING_OFFSETS)),
                config.get(BOUNDED),
                (int) config.get(MAX_FRAME_BYTES).getBytes(),
                FrameWire.DEFAULT_MAX_PIXELS,
                clientProps,
                config.get(MAX_FUTURE_SKEW).toMillis());
    }
}
