package io.frameflow.job;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A job output in tests without Kafka: every element is added, as it is written, to its {@link
 * PipelineRun}'s list for {@code type}. The sink carries only the run id (the MiniCluster runs in
 * the test's JVM); the job's records are immutable, so object reuse cannot change what was
 * collected.
 */
final class CollectingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String runId;
    private final Class<T> type;

    CollectingSink(String runId, Class<T> type) {
        this.runId = runId;
        this.type = type;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        PipelineRun run = PipelineRun.get(runId);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                run.collect(type, element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
