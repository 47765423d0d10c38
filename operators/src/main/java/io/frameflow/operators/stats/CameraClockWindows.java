package io.frameflow.operators.stats;

import io.frameflow.records.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per-camera tumbling stats windows on each camera's own clock ({@link CameraClock}).
 *
 * <p>Why not Flink's event-time windows: a Kafka partition (and so a Flink watermark) carries many
 * cameras, and a watermark made from capture times lets the camera that is furthest ahead close the
 * windows of the others. That happens whenever clocks disagree, and always during a backlog (after
 * an outage or a failover) where one camera is live and the others are still being replayed: their
 * frames came out late and the stats under-counted. Here the Flink timestamp is the frame's arrival
 * time and the watermark is the wall clock ({@code ArrivalWatermarks}); an event-time timer at a
 * frame's arrival (rounded up to {@link #TICK_MS}) fires once every frame read before it has been
 * seen, and only then does its capture time move its own camera's clock. A window fires when its
 * camera's clock passes its end and stays, for allowed lateness, to take late frames (each one
 * fires it again, as Flink's windows do); a frame for a window that is gone goes to {@link #LATE}.
 *
 * <p>A camera that sends nothing for {@code close-windows-after} has its open windows emitted and
 * closed (its clock cannot move without frames); its clock is forgotten after another {@code
 * close-windows-after}. Right after a restart, the backlog may not have been read yet, so no camera
 * is called quiet before the job has run for {@code close-windows-after}.
 */
public class CameraClockWindows extends KeyedProcessFunction<String, FrameSample, WindowStats> {

    private static final long serialVersionUID = 1L;

    /** Frames whose window had already gone (fired and past allowed lateness). */
    public static final OutputTag<FrameSample> LATE =
            new OutputTag<>("late-frame-samples", TypeInformation.of(FrameSample.class));

    /** Granularity of the confirmation timers: at most one timer per camera per tick. */
    static final long TICK_MS = 100;

    private final long sizeMs;
    private final long allowedLatenessMs;
    private final long outOfOrdernessMs;
    private final long closeAfterMs;

    private transient MapState<Long, StatsAccumulator> windows; // by window start
    private transient MapState<Long, Long> unconfirmed; // tick -> largest capture time
    private transient ValueState<CameraClock> clocks;
    private transient long openedAt;

    public CameraClockWindows(
            Duration size,
            Duration allowedLateness,
            Duration outOfOrderness,
            Duration closeWindowsAfter) {
        this.sizeMs = size.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.closeAfterMs = closeWindowsAfter.toMillis();
        if (sizeMs <= 0 || closeAfterMs <= 0 || allowedLatenessMs < 0 || outOfOrdernessMs < 0) {
            throw new IllegalArgumentException(
                    "window size and close-windows-after must be positive");
        }
    }

    @Override
    public void open(OpenContext openContext) {
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "windows",
                                        Types.LONG,
                                        TypeInformation.of(StatsAccumulator.class)));
        unconfirmed =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("unconfirmed", Types.LONG, Types.LONG));
        clocks =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "camera-clock", TypeInformation.of(CameraClock.class)));
        openedAt = Long.MIN_VALUE; // set by the first element or timer (processing time)
    }

    @Override
    public void processElement(FrameSample sample, Context ctx, Collector<WindowStats> out)
            throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        started(now);
        // a frame a processing-time timer emitted upstream (the drop policy's) has no timestamp:
        // it was emitted now, and a watermark past now is generated after it
        long arrival = ctx.timestamp() != null ? ctx.timestamp() : now;
        CameraClock clock = clocks.value();
        if (clock == null) {
            clock = new CameraClock();
        }

        long start = sample.captureTs() - Math.floorMod(sample.captureTs(), sizeMs);
        long end = start + sizeMs;
        if (clock.expired(end, allowedLatenessMs)) {
            ctx.output(LATE, sample);
        } else {
            StatsAccumulator acc = windows.get(start);
            if (acc == null) {
                acc = new StatsAccumulator();
            }
            acc.add(sample);
            windows.put(start, acc);
            if (clock.fired(end)) { // late within allowed lateness: the window fires again
                out.collect(acc.toStats(ctx.getCurrentKey(), start, end));
            }
        }

        long tick = ceilToTick(arrival);
        Long largest = unconfirmed.get(tick);
        if (largest == null || sample.captureTs() > largest) {
            unconfirmed.put(tick, sample.captureTs());
        }
        ctx.timerService().registerEventTimeTimer(tick);

        long previousQuietAt =
                clock.lastArrival == CameraClock.NONE ? Long.MIN_VALUE : quietAt(clock.lastArrival);
        clock.lastArrival = Math.max(arrival, clock.lastArrival);
        clock.closedAt = CameraClock.NONE;
        long quietAt = quietAt(clock.lastArrival);
        if (quietAt != previousQuietAt) {
            if (previousQuietAt != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(previousQuietAt);
            }
            ctx.timerService().registerEventTimeTimer(quietAt);
        }
        clocks.update(clock);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowStats> out)
            throws Exception {
        started(ctx.timerService().currentProcessingTime());
        CameraClock clock = clocks.value();
        if (clock == null) {
            return;
        }
        Long confirmed = unconfirmed.get(timestamp);
        if (confirmed != null) {
            unconfirmed.remove(timestamp);
            Long previous = clock.advance(confirmed, outOfOrdernessMs);
            if (previous != null) {
                fire(previous, clock, ctx.getCurrentKey(), out);
            }
        }
        if (clock.lastArrival != CameraClock.NONE && timestamp >= quietAt(clock.lastArrival)) {
            long graceEnd = ceilToTick(openedAt + closeAfterMs);
            if (timestamp < graceEnd) {
                // just (re)started: the camera's backlog may still be unread
                ctx.timerService().registerEventTimeTimer(graceEnd);
            } else {
                close(clock, timestamp, ctx.getCurrentKey(), out);
                ctx.timerService().registerEventTimeTimer(timestamp + closeAfterMs);
            }
        } else if (clock.closedAt != CameraClock.NONE
                && timestamp >= clock.closedAt + closeAfterMs) {
            clocks.clear(); // quiet twice as long: forget the camera
            return;
        }
        clocks.update(clock);
    }

    /** Emits the windows the clock has just passed and drops those past their lateness. */
    private void fire(
            long previousWatermark, CameraClock clock, String camera, Collector<WindowStats> out)
            throws Exception {
        List<Long> expired = new ArrayList<>();
        for (Iterator<Map.Entry<Long, StatsAccumulator>> it = windows.iterator(); it.hasNext(); ) {
            Map.Entry<Long, StatsAccumulator> w = it.next();
            long start = w.getKey();
            long end = start + sizeMs;
            if (clock.fired(end) && end - 1 > previousWatermark) {
                out.collect(w.getValue().toStats(camera, start, end));
            }
            if (clock.expired(end, allowedLatenessMs)) {
                expired.add(start);
            }
        }
        for (long start : expired) {
            windows.remove(start);
        }
    }

    /** The camera went quiet: emits its windows that have not fired and closes them all. */
    private void close(CameraClock clock, long now, String camera, Collector<WindowStats> out)
            throws Exception {
        long lastEnd = clock.watermark;
        for (Map.Entry<Long, StatsAccumulator> w : windows.entries()) {
            long start = w.getKey();
            long end = start + sizeMs;
            if (!clock.fired(end)) {
                out.collect(w.getValue().toStats(camera, start, end));
            }
            lastEnd = Math.max(lastEnd, end - 1 + allowedLatenessMs);
        }
        windows.clear();
        unconfirmed.clear();
        // a frame for a closed window arriving later is late, not the start of a second record
        // for the same window
        clock.watermark = lastEnd;
        clock.lastArrival = CameraClock.NONE;
        clock.closedAt = now;
    }

    private void started(long processingTime) {
        if (openedAt == Long.MIN_VALUE) {
            openedAt = processingTime;
        }
    }

    private long quietAt(long lastArrival) {
        return ceilToTick(lastArrival) + ceilToTick(closeAfterMs);
    }

    static long ceilToTick(long ms) {
        return Math.floorDiv(ms + TICK_MS - 1, TICK_MS) * TICK_MS;
    }
}
