package io.frameflow.operators.config;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The options of one component, declared beside it: each {@link ConfigOption} once, with its
 * default and its description ({@code withDescription}), and the checks that say what to fix. The
 * job's argument parser and help text read every group; nothing else re-declares an option.
 *
 * <p>A group is a small stateless object (usually an enum constant or a singleton) so the job can
 * list all groups in one place, in help order.
 */
public interface OptionGroup {

    /** Heading of the group in {@code --help}, e.g. {@code Kafka}. */
    String title();

    /** The group's options, in help order. */
    List<ConfigOption<?>> options();

    /**
     * Adds one message to {@code problems} per value that cannot work, naming the flag and what to
     * fix. Values have been type-checked already; checks across groups live in the job.
     */
    void validate(ReadableConfig config, Problems problems);
}
