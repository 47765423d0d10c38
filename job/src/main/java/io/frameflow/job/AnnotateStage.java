package io.frameflow.job;

import static io.frameflow.operators.annotate.AnnotateOptions.ANNOTATED_FRAMES;
import static io.frameflow.operators.annotate.AnnotateOptions.ANNOTATED_MAX_WIDTH;
import static io.frameflow.operators.annotate.AnnotateOptions.JPEG_QUALITY;
import static io.frameflow.operators.annotate.AnnotateOptions.KEYPOINT_MIN_SCORE;

import io.frameflow.connectors.KafkaOptions;
import io.frameflow.operators.annotate.AnnotateFunction;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's annotated frames: every result drawn on its frame and written to the annotated topic,
 * unless {@code --annotated-frames false} (a deployment of detections, events and stats only builds
 * neither the operator nor the sink).
 */
final class AnnotateStage {

    private AnnotateStage() {}

    /**
     * @return the frames that could not be drawn, for the dead-letter topic; null when the job
     *     writes no annotated frames
     */
    static DataStream<DeadLetter> annotate(
            DataStream<InferenceResult.Detected> results,
            PipelineSinks sinks,
            ReadableConfig config) {
        if (!config.get(ANNOTATED_FRAMES)) {
            return null;
        }
        SingleOutputStreamOperator<AnnotatedFrame> annotated =
                results.process(
                                new AnnotateFunction(
                                        config.get(JPEG_QUALITY),
                                        config.get(ANNOTATED_MAX_WIDTH),
                                        config.get(KEYPOINT_MIN_SCORE).floatValue()))
                        .uid(OperatorUids.ANNOTATE)
                        .name("Annotate frames");
        annotated
                .sinkTo(sinks.annotated())
                .uid(OperatorUids.SINK_ANNOTATED)
                .name("Kafka: " + config.get(KafkaOptions.TOPIC_ANNOTATED));
        return annotated.getSideOutput(AnnotateFunction.DEAD_LETTERS);
    }
}
