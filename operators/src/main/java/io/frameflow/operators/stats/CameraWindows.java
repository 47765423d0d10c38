package io.frameflow.operators.stats;

import io.frameflow.records.WindowStats;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/** Per-camera event-time tumbling windows of frame samples into {@link WindowStats}. */
public final class CameraWindows {

    public static final String UID = "window-stats";

    /** Samples that arrived after their window fired; see {@link LateSampleCounter}. */
    public static final OutputTag<FrameSample> LATE_SAMPLES =
            new OutputTag<>("late-frame-samples", TypeInformation.of(FrameSample.class));

    private CameraWindows() {}

    /**
     * Windows {@code samples} (inferred and dropped frames, with event-time timestamps) per camera.
     */
    public static SingleOutputStreamOperator<WindowStats> stats(
            DataStream<FrameSample> samples, Duration size, Duration allowedLateness) {
        return samples.keyBy(FrameSample::camera)
                .window(TumblingEventTimeWindows.of(size))
                .allowedLateness(allowedLateness)
                .sideOutputLateData(LATE_SAMPLES)
                .aggregate(new WindowStatsAggregate(), new WindowStatsFunction())
                .uid(UID)
                .name("Window stats per camera");
    }
}
