package io.frameflow.job;

import io.frameflow.operators.model.AnnotatedFrame;
import io.frameflow.operators.model.DeadLetter;
import io.frameflow.operators.model.FrameDetections;
import io.frameflow.operators.model.WindowStats;
import org.apache.flink.api.connector.sink2.Sink;

/** Where the job writes its four outputs (Kafka in production; anything in tests). */
public record PipelineSinks(
        Sink<FrameDetections> detections,
        Sink<AnnotatedFrame> annotated,
        Sink<WindowStats> stats,
        Sink<DeadLetter> deadLetters) {}
