package io.frameflow.producer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Collects {@code --kafka.<property>=<value>} (or {@code --kafka.<property> <value>}) arguments.
 */
public final class KafkaClientProperties {

    public static final String PREFIX = "--kafka.";

    private KafkaClientProperties() {}

    /**
     * The client properties among the arguments picocli did not match; anything else is an error.
     */
    public static Map<String, String> parse(List<String> unmatched, CommandSpec spec) {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < unmatched.size(); i++) {
            String arg = unmatched.get(i);
            if (!arg.startsWith(PREFIX) || arg.length() == PREFIX.length()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Unknown option or argument: '"
                                + arg
                                + "' (Kafka client properties are given as --kafka.<property>=<value>)");
            }
            String body = arg.substring(PREFIX.length());
            int eq = body.indexOf('=');
            if (eq > 0) {
                props.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < unmatched.size() && !unmatched.get(i + 1).startsWith("-")) {
                props.put(body, unmatched.get(++i));
            } else {
                throw new ParameterException(
                        spec.commandLine(),
                        "Missing value for " + arg + " (use " + arg + "=<value>)");
            }
        }
        return props;
    }
}
