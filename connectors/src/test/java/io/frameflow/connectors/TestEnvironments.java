package io.frameflow.connectors;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Stream environments for the MiniCluster tests. */
public final class TestEnvironments {

    private TestEnvironments() {}

    /**
     * Generic (Kryo) types off, as in the job: a record that is not a Flink POJO fails the job
     * graph instead of silently falling back to Kryo.
     */
    public static StreamExecutionEnvironment kryoFree() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        if (!env.getConfig().getSerializerConfig().hasGenericTypesDisabled()) {
            throw new IllegalStateException("generic types are still enabled");
        }
        return env;
    }
}
