package io.frameflow.operators.policy;

import io.frameflow.operators.metrics.CameraMetricGroups;
import io.frameflow.records.Frame;
import io.frameflow.records.metrics.FrameFlowMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Applies a {@link DropPolicy} per camera before inference, so that an overloaded job sheds stale
 * or surplus frames instead of falling further behind. Kept frames pass through unchanged; drops go
 * to {@link #DROPS} to be counted in the window stats.
 *
 * <p>State per camera is at most two longs (capture time of the last kept frame, the pending
 * cleanup timer), and a processing-time timer clears it when the camera has been silent for {@link
 * DropPolicy#idleStateTimeoutMs()}.
 */
public class DropPolicyFunction extends KeyedProcessFunction<String, Frame, Frame> {

    private static final long serialVersionUID = 1L;

    /** Frames the policy discarded. */
    public static final OutputTag<DropEvent> DROPS =
            new OutputTag<>("dropped-frames", TypeInformation.of(DropEvent.class));

    private final DropPolicy policy;

    private transient ValueState<Long> lastKeptTs;
    private transient ValueState<Long> cleanupAt;
    private transient MetricGroup metrics;
    private transient CameraMetricGroups<CameraCounters> counters;

    public DropPolicyFunction(DropPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        lastKeptTs =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("last-kept-capture-ts", Types.LONG));
        cleanupAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        metrics = getRuntimeContext().getMetricGroup().addGroup(FrameFlowMetrics.GROUP);
        counters = new CameraMetricGroups<>(metrics, (group, shared) -> new CameraCounters(group));
    }

    @Override
    public void processElement(Frame frame, Context ctx, Collector<Frame> out) throws Exception {
        CameraCounters camera = countersFor(ctx.getCurrentKey());
        camera.framesIn.inc();
        long now = ctx.timerService().currentProcessingTime();

        if (policy.maxFrameAgeMs() > 0 && now - frame.captureTs() > policy.maxFrameAgeMs()) {
            drop(frame, DropPolicy.REASON_MAX_AGE, camera.droppedMaxAge, ctx);
            return;
        }
        long minGap = policy.minGapMs();
        if (minGap > 0) {
            Long last = lastKeptTs.value();
            if (last != null && frame.captureTs() - last < minGap) {
                drop(frame, DropPolicy.REASON_MAX_FPS, camera.droppedMaxFps, ctx);
                return;
            }
            lastKeptTs.update(frame.captureTs());
            rescheduleCleanup(ctx, now);
        }
        out.collect(frame);
    }

    /** Moves the camera's single cleanup timer to {@code now + timeout}. */
    private void rescheduleCleanup(Context ctx, long now) throws Exception {
        Long pending = cleanupAt.value();
        long at = now + policy.idleStateTimeoutMs();
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
        }
        ctx.timerService().registerProcessingTimeTimer(at);
        cleanupAt.update(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Frame> out) {
        lastKeptTs.clear();
        cleanupAt.clear();
    }

    private void drop(Frame frame, String reason, Counter counter, Context ctx) {
        counter.inc();
        ctx.output(DROPS, new DropEvent(frame.camera(), frame.captureTs(), reason, frame.seq()));
    }

    private CameraCounters countersFor(String camera) {
        return counters.of(camera);
    }

    /** Metrics of one camera, registered once per camera and subtask. */
    private static final class CameraCounters {
        final Counter framesIn;
        final Counter droppedMaxAge;
        final Counter droppedMaxFps;

        CameraCounters(MetricGroup camera) {
            framesIn = camera.counter(FrameFlowMetrics.NAME_FRAMES_IN);
            droppedMaxAge =
                    camera.addGroup(FrameFlowMetrics.REASON, DropPolicy.REASON_MAX_AGE)
                            .counter(FrameFlowMetrics.NAME_FRAMES_DROPPED);
            droppedMaxFps =
                    camera.addGroup(FrameFlowMetrics.REASON, DropPolicy.REASON_MAX_FPS)
                            .counter(FrameFlowMetrics.NAME_FRAMES_DROPPED);
        }
    }
}
