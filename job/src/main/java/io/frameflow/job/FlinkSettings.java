package io.frameflow.job;

import static io.frameflow.job.JobOptions.*;

import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * The Flink configuration the job applies on top of its environment's. A setting the cluster
 * already has (its {@code config.yaml}, a {@code FlinkDeployment}'s {@code flinkConfiguration},
 * {@code flink run -D}) is kept unless the same setting was given on the job's command line; the
 * job's defaults fill only what the cluster leaves unset.
 */
public final class FlinkSettings {

    private FlinkSettings() {}

    /**
     * @param given the options as given on the command line (only the keys that were passed)
     * @param cluster the environment's configuration before the job touches it
     */
    /** How often the sources emit their watermark, unless the cluster sets it. */
    static final java.time.Duration AUTO_WATERMARK_INTERVAL = java.time.Duration.ofMillis(50);

    public static Configuration over(ReadableConfig given, ReadableConfig cluster) {
        Configuration conf = new Configuration();
        // the records are Kryo-free by design (tests assert it): a fallback to Kryo is a bug to
        // surface, not a cluster preference to respect
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        unlessClusterHas(
                conf,
                given,
                cluster,
                CHECKPOINT_INTERVAL,
                CheckpointingOptions.CHECKPOINTING_INTERVAL);
        unlessClusterHas(
                conf,
                given,
                cluster,
                CHECKPOINT_TIMEOUT,
                CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        unlessClusterHas(conf, given, cluster, BUFFER_TIMEOUT, ExecutionOptions.BUFFER_TIMEOUT);
        unlessClusterHas(conf, given, cluster, OBJECT_REUSE, PipelineOptions.OBJECT_REUSE);
        unlessClusterHas(conf, given, cluster, JOB_NAME, PipelineOptions.NAME);
        if (cluster.getOptional(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE).isEmpty()) {
            conf.set(
                    CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    CheckpointingMode.EXACTLY_ONCE);
        }
        if (cluster.getOptional(PipelineOptions.AUTO_WATERMARK_INTERVAL).isEmpty()) {
            // the watermark (the wall clock at arrival) releases frames that inference reordered
            // (CaptureOrderFunction) and confirms the cameras' clocks: Flink's 200 ms would be
            // latency added to every reordered frame
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, AUTO_WATERMARK_INTERVAL);
        }
        given.getOptional(PARALLELISM).ifPresent(p -> conf.set(CoreOptions.DEFAULT_PARALLELISM, p));
        return conf;
    }

    /** The job's settings for an environment with no configuration of its own (MiniCluster). */
    public static Configuration standalone(ReadableConfig given) {
        return over(given, new Configuration());
    }

    private static <T> void unlessClusterHas(
            Configuration conf,
            ReadableConfig given,
            ReadableConfig cluster,
            ConfigOption<T> jobOption,
            ConfigOption<T> flinkOption) {
        Optional<T> passed = given.getOptional(jobOption);
        if (passed.isPresent()) {
            conf.set(flinkOption, passed.get());
        } else if (cluster.getOptional(flinkOption).isEmpty()) {
            conf.set(flinkOption, jobOption.defaultValue());
        }
    }
}
