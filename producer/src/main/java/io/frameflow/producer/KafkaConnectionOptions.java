package io.frameflow.producer;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Kafka connection options {@code produce} and {@code record} share, as a picocli mixin: the
 * bootstrap servers and any client property as {@code --kafka.<property>=<value>}. Those reach the
 * command as unmatched arguments: picocli does not take {@code @Unmatched} from a mixin, so each
 * command declares the list and hands it to {@link #clientProperties(List)}.
 */
public final class KafkaConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = {"-b", "--bootstrap-servers"},
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The {@code --kafka.*} client properties among the command's unmatched arguments, in order.
     *
     * @throws picocli.CommandLine.ParameterException for any other unmatched argument
     */
    public Map<String, String> clientProperties(List<String> unmatched) {
        return KafkaClientProperties.parse(unmatched, command);
    }
}
