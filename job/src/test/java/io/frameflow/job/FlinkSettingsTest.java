package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;

/** The cluster's own Flink settings win over the job's defaults, not over its command line. */
class FlinkSettingsTest {

    private static Configuration cluster() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(60));
        c.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(100));
        c.set(PipelineOptions.OBJECT_REUSE, false);
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.AT_LEAST_ONCE);
        return c;
    }

    @Test
    void clusterSettingsWinOverTheJobsDefaults() {
        Configuration conf = FlinkSettings.over(FrameFlowOptions.fromArgs().config(), cluster());

        assertThat(conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEmpty();
        assertThat(conf.getOptional(ExecutionOptions.BUFFER_TIMEOUT)).isEmpty();
        assertThat(conf.getOptional(PipelineOptions.OBJECT_REUSE)).isEmpty();
        assertThat(conf.getOptional(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEmpty();
        assertThat(conf.getOptional(CoreOptions.DEFAULT_PARALLELISM)).isEmpty();
        // Kryo stays off whatever the cluster says: the records are Kryo-free by design
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void theCommandLineWinsOverTheCluster() {
        FrameFlowOptions given =
                FrameFlowOptions.fromArgs(
                        "--checkpoint-interval", "5 s",
                        "--buffer-timeout", "2 ms",
                        "--object-reuse", "true",
                        "--parallelism", "3");

        Configuration conf = FlinkSettings.over(given.config(), cluster());

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(2));
        assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isTrue();
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(3);
    }

    @Test
    void theJobsDefaultsFillWhatTheClusterLeavesUnset() {
        Configuration conf =
                FlinkSettings.over(FrameFlowOptions.fromArgs().config(), new Configuration());

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ZERO);
        assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(conf.get(PipelineOptions.NAME)).isEqualTo("FrameFlow");
    }
}
