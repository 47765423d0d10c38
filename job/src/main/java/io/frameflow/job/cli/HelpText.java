package io.frameflow.job.cli;

import io.frameflow.operators.config.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/**
 * The {@code --help} text: every group's options with their placeholder, default and description.
 */
public final class HelpText {

    private HelpText() {}

    public static String render(List<OptionGroup> groups, String kafkaPrefix) {
        StringBuilder sb = new StringBuilder();
        sb.append("FrameFlow: real-time multi-camera video analytics on Flink.\n\n")
                .append("Usage: flink run frameflow-job.jar [--option value ...]\n");
        for (OptionGroup group : groups) {
            sb.append('\n').append(group.title()).append(":\n");
            for (ConfigOption<?> option : group.options()) {
                String placeholder = placeholder(option);
                sb.append("  --")
                        .append(option.key())
                        .append(placeholder.isEmpty() ? "" : " " + placeholder)
                        .append("\n      ")
                        .append(new PlainTextFormatter().format(option.description()))
                        .append(" Default: ")
                        .append(option.hasDefaultValue() ? format(option.defaultValue()) : "(none)")
                        .append('\n');
            }
        }
        sb.append("\nKafka client properties:\n")
                .append("  --")
                .append(kafkaPrefix)
                .append("<property> VALUE\n")
                .append("      Any Kafka client property for sources, sinks and admin, e.g. --")
                .append(kafkaPrefix)
                .append("security.protocol SASL_SSL --")
                .append(kafkaPrefix)
                .append("sasl.mechanism PLAIN.\n");
        return sb.toString();
    }

    private static String placeholder(ConfigOption<?> option) {
        Object d = option.hasDefaultValue() ? option.defaultValue() : null;
        if (d instanceof Boolean) {
            return "";
        }
        if (d instanceof Duration) {
            return "DURATION";
        }
        if (d instanceof MemorySize) {
            return "SIZE";
        }
        return "VALUE";
    }

    private static String format(Object value) {
        if (value instanceof Duration d) {
            if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
                return d.toMinutes() + " min";
            }
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
        return String.valueOf(value);
    }
}
