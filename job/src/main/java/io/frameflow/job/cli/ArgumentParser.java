package io.frameflow.job.cli;

import io.frameflow.records.text.EditDistance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Turns {@code --key value}, {@code --key=value} and bare boolean {@code --flag}s into a Flink
 * {@link Configuration} holding only what was given, plus the {@code --<prefix><property>} pass-
 * through properties. Every value is read once through its option's type, so a malformed number or
 * duration fails here, naming the flag.
 */
public final class ArgumentParser {

    /** What the arguments set. */
    public record Parsed(Configuration config, Properties passThrough) {}

    private final Map<String, ConfigOption<?>> options = new LinkedHashMap<>();
    private final String passThroughPrefix;

    public ArgumentParser(List<ConfigOption<?>> options, String passThroughPrefix) {
        options.forEach(o -> this.options.put(o.key(), o));
        this.passThroughPrefix = passThroughPrefix;
    }

    /**
     * @throws IllegalArgumentException naming the unknown or malformed argument
     */
    public Parsed parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        Properties passThrough = new Properties();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "Unexpected argument '" + arg + "': options are --key value (see --help).");
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            }
            if (key.startsWith(passThroughPrefix)) {
                passThrough.setProperty(
                        key.substring(passThroughPrefix.length()), need(key, value));
                continue;
            }
            ConfigOption<?> option = options.get(key);
            if (option == null) {
                throw new IllegalArgumentException(
                        "Unknown option --" + key + suggestion(key) + " (see --help).");
            }
            boolean flag = option.hasDefaultValue() && option.defaultValue() instanceof Boolean;
            values.put(key, value == null && flag ? "true" : need(key, value));
        }
        Configuration config = Configuration.fromMap(values);
        checkTypes(config);
        return new Parsed(config, passThrough);
    }

    private static String need(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("--" + key + " needs a value.");
        }
        return value;
    }

    private void checkTypes(Configuration config) {
        for (ConfigOption<?> option : options.values()) {
            try {
                config.getOptional(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Bad value for --"
                                + option.key()
                                + ": "
                                + config.toMap().get(option.key())
                                + " ("
                                + e.getMessage()
                                + "). "
                                + new PlainTextFormatter().format(option.description()),
                        e);
            }
        }
    }

    private String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : options.keySet()) {
            int d = EditDistance.between(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= 3 ? " (did you mean --" + best + "?)" : "";
    }
}
