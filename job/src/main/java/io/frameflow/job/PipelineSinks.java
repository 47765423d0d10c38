package io.frameflow.job;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.SiteStats;
import io.frameflow.records.WindowStats;
import org.apache.flink.api.connector.sink2.Sink;

/** Where the job writes its six outputs (Kafka in production; anything in tests). */
public record PipelineSinks(
        Sink<FrameDetections> detections,
        Sink<AnnotatedFrame> annotated,
        Sink<WindowStats> stats,
        Sink<CameraEvent> events,
        Sink<SiteStats> sites,
        Sink<DeadLetter> deadLetters) {}
