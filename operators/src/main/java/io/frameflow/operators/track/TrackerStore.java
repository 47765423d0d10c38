package io.frameflow.operators.track;

import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A camera's {@link ByteTracker} in keyed state (the current key is the camera): the tracks as
 * versioned bytes, the id counter apart from them (never cleared, so a camera's ids never start
 * again from 1) and the labels of the classes it has seen (for the boxes of predicted frames).
 * Keeping them in Flink state is what carries the ids across a failover, a rescale and an upgrade.
 */
final class TrackerStore {

    private final ValueState<byte[]> trackers;
    private final ValueState<Long> nextIds;
    private final MapState<Integer, String> labels; // class id -> label, per camera
    private int stateBytes;

    TrackerStore(RuntimeContext runtime) {
        trackers =
                runtime.getState(
                        new ValueStateDescriptor<>(
                                "tracker", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        nextIds = runtime.getState(new ValueStateDescriptor<>("next-id", Types.LONG));
        labels =
                runtime.getMapState(
                        new MapStateDescriptor<>("class-labels", Types.INT, Types.STRING));
    }

    /** The camera's tracker as its state left it, with these parameters. */
    ByteTracker load(TrackerSettings settings) throws Exception {
        byte[] bytes = trackers.value();
        if (bytes != null) {
            return ByteTracker.restore(settings, TrackerState.fromBytes(bytes));
        }
        Long next = nextIds.value();
        return next == null ? new ByteTracker(settings) : ByteTracker.startingAt(settings, next);
    }

    /** Runs the tracker on the frame's detections and keeps it: the detections with track ids. */
    List<Detection> track(ByteTracker tracker, FrameDetections d, List<Detection> detections)
            throws Exception {
        TrackResult result = tracker.update(detections, d.captureTs(), d.width(), d.height());
        for (Detection det : detections) {
            if (!labels.contains(det.classId())) {
                labels.put(det.classId(), det.label());
            }
        }
        List<Detection> tracked = new ArrayList<>(detections.size());
        for (int i = 0; i < detections.size(); i++) {
            long id = result.trackId(i);
            tracked.add(
                    id == TrackResult.NONE ? detections.get(i) : detections.get(i).withTrackId(id));
        }
        nextIds.update(tracker.nextId());
        stateBytes = 0;
        if (tracker.isIdle()) {
            trackers.clear();
        } else {
            byte[] state = tracker.snapshot().toBytes();
            stateBytes = state.length;
            trackers.update(state);
        }
        return tracked;
    }

    /**
     * A frame the detector skipped: the confirmed tracks' boxes with their ids, as the motion model
     * predicts them at its capture time ({@code inferEvery}: {@code moving}) or where the last
     * inferred frame left them (an unchanged frame); the stored tracker is left as it was.
     */
    List<Detection> predict(ByteTracker tracker, FrameDetections d, boolean moving)
            throws Exception {
        byte[] state = trackers.value();
        stateBytes = state == null ? 0 : state.length;
        List<Detection> out = new ArrayList<>();
        List<TrackBox> boxes =
                moving ? tracker.predict(d.captureTs()) : tracker.current(d.captureTs());
        for (TrackBox b : boxes) {
            String label = labels.get(b.classId());
            out.add(
                    new Detection(
                            label == null ? Integer.toString(b.classId()) : label,
                            b.classId(),
                            b.score(),
                            b.x1(),
                            b.y1(),
                            b.x2(),
                            b.y2(),
                            null,
                            b.trackId()));
        }
        return out;
    }

    /** Bytes of the tracks' state after the last {@link #track} or {@link #predict}. */
    int stateBytes() {
        return stateBytes;
    }

    /** Forgets the camera's tracks; the id counter and labels stay. */
    void clearTracks() {
        trackers.clear();
    }
}
