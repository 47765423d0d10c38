package io.frameflow.viewer;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.WindowStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** What the viewer knows about one camera: its newest frame, newest window and person history. */
public final class CameraState {

    /** Persons in one window, for the detail chart. */
    public record HistoryPoint(long windowEnd, double avg, int max) {}

    /** Bound on the points kept, whatever the window length. */
    static final int HISTORY_MAX_POINTS = 2000;

    private final String camera;
    private final long historySpanMs;
    private final LatestFrame frame = new LatestFrame();
    private final CameraEvents events = new CameraEvents();
    private final FrameSignal signal;
    private final ArrayDeque<HistoryPoint> history = new ArrayDeque<>();
    private volatile WindowStats latestStats;
    private volatile long framesReceived;

    /**
     * @param historySpanMs the detail chart covers this much time; older points are dropped
     */
    CameraState(String camera, long historySpanMs) {
        this(camera, historySpanMs, new FrameSignal());
    }

    CameraState(String camera, long historySpanMs, FrameSignal signal) {
        this.camera = camera;
        this.historySpanMs = historySpanMs;
        this.signal = signal;
    }

    public String camera() {
        return camera;
    }

    public LatestFrame frame() {
        return frame;
    }

    /** Called by the consumer thread only. */
    void onFrame(byte[] jpeg, long timestamp, long seq, String model) {
        LatestFrame.Frame shown = frame.publish(jpeg, timestamp, seq, model);
        framesReceived++;
        if (shown.jpeg() == jpeg) {
            events.onFrame(shown);
            signal.ring();
        }
    }

    /** Called by the consumer thread only. */
    void onEvent(CameraEvent event) {
        events.onEvent(event);
    }

    /** This camera's recent events with their snapshots, and its line and zone counts. */
    public CameraEvents events() {
        return events;
    }

    /** Called by the consumer thread only; windows older than the newest one are ignored. */
    synchronized void onStats(WindowStats stats) {
        WindowStats previous = latestStats;
        if (previous != null && stats.windowEnd() < previous.windowEnd()) {
            return;
        }
        latestStats = stats;
        WindowStats.ClassCount persons =
                stats.counts() == null ? null : stats.counts().get("person");
        HistoryPoint point =
                new HistoryPoint(
                        stats.windowEnd(),
                        persons == null || Double.isNaN(persons.avg()) ? 0 : persons.avg(),
                        persons == null ? 0 : persons.max());
        if (!history.isEmpty() && history.peekLast().windowEnd() == stats.windowEnd()) {
            history.pollLast();
        }
        history.addLast(point);
        while (history.size() > HISTORY_MAX_POINTS
                || history.peekFirst().windowEnd() < stats.windowEnd() - historySpanMs) {
            history.pollFirst();
        }
    }

    /** The newest window's stats, or null before the first one. */
    public WindowStats latestStats() {
        return latestStats;
    }

    public long framesReceived() {
        return framesReceived;
    }

    /** Persons per window, oldest first. */
    public synchronized List<HistoryPoint> history() {
        return new ArrayList<>(history);
    }
}
