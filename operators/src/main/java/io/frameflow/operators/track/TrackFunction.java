package io.frameflow.operators.track;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs each camera's {@link ByteTracker} over its frames (which arrive in capture order, {@code
 * CaptureOrderFunction}) and puts the track ids on the detections.
 *
 * <p>The tracker lives in keyed state, so ids survive a failover, a rescale and an upgrade; the id
 * counter is kept apart and never cleared, so a camera's ids never start again from 1. When a
 * camera stops sending, a timer clears its tracks once the last of them would have been dropped
 * anyway (its lost-track buffer, in arrival time, plus {@link #CLEAR_MARGIN_MS}).
 */
public class TrackFunction
        extends KeyedProcessFunction<String, InferenceResult.Detected, InferenceResult.Detected> {

    private static final long serialVersionUID = 1L;

    /** Added to a quiet camera's remaining lost-track buffer before its tracks are cleared. */
    static final long CLEAR_MARGIN_MS = 1_000;

    private final TrackerSettings settings;

    private transient ValueState<byte[]> trackers;
    private transient ValueState<Long> nextIds;
    private transient ValueState<Long> clearAt;

    public TrackFunction(TrackerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        trackers =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "tracker",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        nextIds = getRuntimeContext().getState(new ValueStateDescriptor<>("next-id", Types.LONG));
        clearAt = getRuntimeContext().getState(new ValueStateDescriptor<>("clear-at", Types.LONG));
    }

    @Override
    public void processElement(
            InferenceResult.Detected in, Context ctx, Collector<InferenceResult.Detected> out)
            throws Exception {
        ByteTracker tracker = load();
        FrameDetections d = in.detections();
        List<Detection> detections = d.detections() == null ? List.of() : d.detections();
        TrackResult result = tracker.update(detections, d.captureTs(), d.width(), d.height());
        List<Detection> tracked = new ArrayList<>(detections.size());
        for (int i = 0; i < detections.size(); i++) {
            long id = result.trackId(i);
            tracked.add(
                    id == TrackResult.NONE ? detections.get(i) : detections.get(i).withTrackId(id));
        }
        out.collect(
                new InferenceResult.Detected(
                        in.frame(),
                        new FrameDetections(
                                d.camera(),
                                d.seq(),
                                d.captureTs(),
                                d.width(),
                                d.height(),
                                d.model(),
                                d.inferenceMs(),
                                tracked)));

        nextIds.update(tracker.nextId());
        if (tracker.isIdle()) {
            trackers.clear();
            return;
        }
        trackers.update(tracker.snapshot().toBytes());
        // if this is the camera's last frame for a while: clear its tracks when they would all
        // have expired (arrival time, which the watermark follows)
        long arrival =
                ctx.timestamp() != null
                        ? ctx.timestamp()
                        : ctx.timerService().currentProcessingTime();
        long remaining = Math.max(0, tracker.idleAfter() - d.captureTs());
        long at = ceilToSecond(arrival + remaining + CLEAR_MARGIN_MS);
        Long previous = clearAt.value();
        if (previous == null || previous != at) {
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous);
            }
            ctx.timerService().registerEventTimeTimer(at);
            clearAt.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<InferenceResult.Detected> out)
            throws Exception {
        Long at = clearAt.value();
        if (at != null && at == timestamp) {
            trackers.clear(); // the id counter stays: ids never repeat on a camera
            clearAt.clear();
        }
    }

    private ByteTracker load() throws Exception {
        byte[] bytes = trackers.value();
        if (bytes != null) {
            return ByteTracker.restore(settings, TrackerState.fromBytes(bytes));
        }
        Long next = nextIds.value();
        return next == null ? new ByteTracker(settings) : ByteTracker.startingAt(settings, next);
    }

    private static long ceilToSecond(long ms) {
        return Math.floorDiv(ms + 999, 1000) * 1000;
    }
}
