package io.frameflow.operators.order;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gives each camera's frames back in capture order after inference reordered them (rebalance over
 * slots, unordered async, several preprocessing threads), for whatever needs order: the tracker,
 * recordings, a viewer that must not step back.
 *
 * <p>A frame whose {@code seq} follows the last one let through goes on at once (the common case:
 * no added latency), and so does a frame with seq 0, a producer's first (or a restarted producer's
 * first: a frame of its previous run still in flight then comes after it, at the watermark). Any
 * other frame is held until the job's arrival-time watermark passes its arrival ({@code
 * ArrivalWatermarks}): every frame read from Kafka before it has then come through inference, so
 * the held frames can go on sorted by capture time (after a restore too: the inference stage does
 * not replay the watermarks it restores, {@link RescaleSafeAsyncWait}), and a frame that will never
 * come (dropped, dead-lettered, a producer that restarted its seq) holds its camera back by no more
 * than the watermark's lag (the auto-watermark interval plus {@link #TICK_MS}). Other cameras are
 * never held up: the state is per camera.
 *
 * <p>Frames go on exactly once and in order across restores: the held frames and the position are
 * keyed state.
 *
 * @param <T> the frame type; {@link Position} reads its sequence number and capture time
 */
public class CaptureOrderFunction<T> extends KeyedProcessFunction<String, T, T>
        implements ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    /** Granularity of the release timers: at most one timer per camera per tick. */
    static final long TICK_MS = 20;

    /** Where a frame stands in its camera's sequence. */
    public interface Position<T> extends Serializable {
        /** Sequence number, consecutive per camera, or negative when the producer sent none. */
        long seq(T frame);

        long captureTs(T frame);
    }

    /** The last frame let through, per camera. A public POJO for keyed state. */
    public static class Last {
        public long seq;
        public long captureTs;

        public Last() {}

        Last(long seq, long captureTs) {
            this.seq = seq;
            this.captureTs = captureTs;
        }
    }

    private final TypeInformation<T> type;
    private final Position<T> position;

    private transient MapState<Long, List<T>> held; // release tick -> frames
    private transient ValueState<Last> last;

    public CaptureOrderFunction(TypeInformation<T> type, Position<T> position) {
        this.type = type;
        this.position = position;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }

    @Override
    public void open(OpenContext openContext) {
        held =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("held", Types.LONG, Types.LIST(type)));
        last =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("last", TypeInformation.of(Last.class)));
    }

    @Override
    public void processElement(T frame, Context ctx, Collector<T> out) throws Exception {
        Last previous = last.value();
        if (follows(previous, frame)) {
            out.collect(frame);
            previous = new Last(position.seq(frame), position.captureTs(frame));
            releaseFollowers(previous, out);
            last.update(previous);
            return;
        }
        // a frame emitted by a processing-time timer upstream has no timestamp: it was emitted
        // now, and a watermark past now is generated after it
        long arrival =
                ctx.timestamp() != null
                        ? ctx.timestamp()
                        : ctx.timerService().currentProcessingTime();
        long tick = Math.floorDiv(arrival + TICK_MS - 1, TICK_MS) * TICK_MS;
        List<T> frames = held.get(tick);
        if (frames == null) {
            frames = new ArrayList<>();
        }
        frames.add(frame);
        held.put(tick, frames);
        ctx.timerService().registerEventTimeTimer(tick);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
        List<T> due = new ArrayList<>();
        for (Iterator<Map.Entry<Long, List<T>>> it = held.iterator(); it.hasNext(); ) {
            Map.Entry<Long, List<T>> e = it.next();
            if (e.getKey() <= timestamp) {
                due.addAll(e.getValue());
                it.remove();
            }
        }
        if (due.isEmpty()) {
            return; // released early, as followers of a frame that went on at once
        }
        due.sort(
                Comparator.comparingLong((T f) -> position.captureTs(f))
                        .thenComparingLong(position::seq));
        Last current = last.value();
        for (T frame : due) {
            out.collect(frame);
            current = new Last(position.seq(frame), position.captureTs(frame));
        }
        releaseFollowers(current, out);
        last.update(current);
        if (held.isEmpty()) {
            held.clear(); // drops the camera's empty map too: state is the position alone
        }
    }

    /** Lets held frames through while each one's seq follows the last one's. */
    private void releaseFollowers(Last current, Collector<T> out) throws Exception {
        boolean found = true;
        while (found && !held.isEmpty()) {
            found = false;
            for (Map.Entry<Long, List<T>> e : held.entries()) {
                List<T> frames = e.getValue();
                for (int i = 0; i < frames.size(); i++) {
                    T frame = frames.get(i);
                    if (follows(current, frame)) {
                        out.collect(frame);
                        current.seq = position.seq(frame);
                        current.captureTs = position.captureTs(frame);
                        frames.remove(i);
                        if (frames.isEmpty()) {
                            held.remove(e.getKey());
                        } else {
                            held.put(e.getKey(), frames);
                        }
                        found = true;
                        break;
                    }
                }
                if (found) {
                    break;
                }
            }
        }
    }

    private boolean follows(Last previous, T frame) {
        long seq = position.seq(frame);
        if (seq == 0) {
            // a producer's first frame (also after it restarted): nothing can come before it, so
            // a camera's first frames need not wait for the watermark, which under load lags
            // by everything queued for inference
            return previous == null || position.captureTs(frame) >= previous.captureTs;
        }
        return previous != null
                && seq >= 0
                && previous.seq >= 0
                && seq == previous.seq + 1
                && position.captureTs(frame) >= previous.captureTs;
    }
}
