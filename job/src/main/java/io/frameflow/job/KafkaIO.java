package io.frameflow.job;

import io.frameflow.connectors.source.ValidatedRecord;
import org.apache.flink.api.connector.source.Source;

/** Kafka source and sinks of the job, configured from the options. */
final class KafkaIO {

    private KafkaIO() {}

    static Source<ValidatedRecord, ?, ?> source(FrameFlowOptions options) {
        throw new UnsupportedOperationException("foundation sources not merged yet");
    }

    static PipelineSinks sinks(FrameFlowOptions options) {
        throw new UnsupportedOperationException("foundation sinks not merged yet");
    }
}
