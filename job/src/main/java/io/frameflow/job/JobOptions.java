package io.frameflow.job;

import io.frameflow.connectors.sink.DeliveryOptions;
import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The Flink settings the job cares about. Checkpointing, buffer timeout and object reuse are
 * applied only when given on the command line or absent from the cluster's configuration ({@link
 * FlinkSettings}), so a cluster's {@code config.yaml} or {@code FlinkDeployment} wins over a
 * default here.
 */
public final class JobOptions implements OptionGroup {

    public static final JobOptions GROUP = new JobOptions();

    /** Time a failed job is given to restart and commit its pending transactions. */
    static final Duration RESTART_MARGIN = Duration.ofMinutes(1);

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Job parallelism (default: the cluster's).");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval; exactly-once outputs are committed on"
                                    + " checkpoints. The default applies where the cluster sets"
                                    + " none (execution.checkpointing.interval).");
    public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
            ConfigOptions.key("checkpoint-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "A checkpoint that takes longer is aborted (and the exactly-once"
                                    + " outputs of its interval are written again). Keep"
                                    + " --transaction-timeout above interval + this + a restart."
                                    + " The default applies where the cluster sets none"
                                    + " (execution.checkpointing.timeout).");
    public static final ConfigOption<Duration> BUFFER_TIMEOUT =
            ConfigOptions.key("buffer-timeout")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "How long Flink holds a network buffer before sending it; 0 sends each"
                                    + " record as it is emitted. Frames are small next to a 32 KiB"
                                    + " buffer, so Flink's 100 ms default adds up to that much latency"
                                    + " per shuffle, and any positive value starts a flusher thread per"
                                    + " task that wakes that often: at 1 ms those wake-ups cost more"
                                    + " CPU than sending a few hundred frames a second one by one"
                                    + " (docs/benchmarks.md). The default applies where the cluster"
                                    + " sets none (execution.buffer-timeout.interval).");
    public static final ConfigOption<Boolean> OBJECT_REUSE =
            ConfigOptions.key("object-reuse")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Let chained operators share records instead of copying each frame's"
                                    + " bytes at every hop (records are immutable and no function"
                                    + " keeps its input). The default applies where the cluster"
                                    + " sets none (pipeline.object-reuse).");
    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("job-name")
                    .stringType()
                    .defaultValue("FrameFlow")
                    .withDescription("Name shown in the Flink web UI and in metrics.");

    private JobOptions() {}

    @Override
    public String title() {
        return "Flink";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(
                PARALLELISM,
                CHECKPOINT_INTERVAL,
                CHECKPOINT_TIMEOUT,
                BUFFER_TIMEOUT,
                OBJECT_REUSE,
                JOB_NAME);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        config.getOptional(PARALLELISM)
                .filter(p -> p < 1)
                .ifPresent(p -> problems.add("--parallelism must be >= 1, got " + p + "."));
        problems.positive(config, CHECKPOINT_INTERVAL);
        problems.notNegative(config, BUFFER_TIMEOUT, "");
        problems.positive(config, CHECKPOINT_TIMEOUT);
        // across groups: a transaction opened at the start of an interval is committed when the
        // checkpoint at its end completes, which may take the checkpoint timeout, and after a
        // failure only when the restored job commits it; the broker aborts it after the
        // transaction timeout, so that must cover all three or a committed window is lost
        Duration interval = config.get(CHECKPOINT_INTERVAL);
        Duration checkpointTimeout = config.get(CHECKPOINT_TIMEOUT);
        Duration timeout = config.get(DeliveryOptions.TRANSACTION_TIMEOUT);
        problems.check(
                timeout.compareTo(interval.multipliedBy(3)) >= 0,
                "--transaction-timeout ("
                        + timeout
                        + ") must be well above --checkpoint-interval ("
                        + interval
                        + "), at least 3x, or transactions abort while a checkpoint is "
                        + "pending.");
        Duration needed = interval.plus(checkpointTimeout).plus(RESTART_MARGIN);
        problems.check(
                timeout.compareTo(needed) >= 0,
                "--transaction-timeout ("
                        + timeout
                        + ") must be at least --checkpoint-interval ("
                        + interval
                        + ") + --checkpoint-timeout ("
                        + checkpointTimeout
                        + ") + "
                        + RESTART_MARGIN.toSeconds()
                        + " s to restart = "
                        + needed
                        + ": a checkpoint that completes later would commit transactions the"
                        + " broker has aborted. Raise --transaction-timeout (at most the broker's"
                        + " transaction.max.timeout.ms) or lower --checkpoint-timeout.");
    }
}
