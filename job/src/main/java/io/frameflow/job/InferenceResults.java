package io.frameflow.job;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.metrics.CameraMetricGroups;
import io.frameflow.operators.metrics.DeadLetterMetrics;
import io.frameflow.operators.policy.DropEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.metrics.FrameFlowMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Right after inference: frames that failed go to {@link #FAILED} as dead letters; frames the
 * inference operator dropped for age go to {@link #DROPPED} (to be counted in the window stats) and
 * count in frames_dropped{reason=max-age}, like the drop policy's drops; inferred frames pass on,
 * and their per-camera metrics are updated (frames_inferred, objects_current per class, latency_ms
 * from capture to here, inference_ms). See docs/metrics.md.
 */
public class InferenceResults extends ProcessFunction<InferenceResult, InferenceResult.Detected> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> FAILED =
            new OutputTag<>("inference-failed", TypeInformation.of(DeadLetter.class));

    /** Frames the inference operator dropped because they grew too old while queued. */
    public static final OutputTag<DropEvent> DROPPED =
            new OutputTag<>("dropped-before-inference", TypeInformation.of(DropEvent.class));

    /** Samples kept by each latency histogram for its quantiles. */
    private static final int HISTOGRAM_WINDOW = 500;

    private transient MetricGroup frameflow;
    private transient DeadLetterMetrics deadLetters;
    private transient CameraMetricGroups<CameraMetrics> cameras;

    @Override
    public void open(OpenContext openContext) {
        frameflow = getRuntimeContext().getMetricGroup().addGroup(FrameFlowMetrics.GROUP);
        deadLetters = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
        cameras = new CameraMetricGroups<>(frameflow, CameraMetrics::new);
    }

    @Override
    public void processElement(
            InferenceResult in, Context ctx, Collector<InferenceResult.Detected> out) {
        if (in instanceof InferenceResult.Failed failed) {
            DeadLetter dl = failed.toDeadLetter();
            deadLetters.count(dl);
            ctx.output(FAILED, dl);
        } else if (in instanceof InferenceResult.Skipped) {
            return; // a dropped frame's place in capture order: counted by the drop policy
        } else if (in instanceof InferenceResult.Expired expired) {
            DropEvent drop = expired.toDropEvent();
            cameras.of(drop.camera()).dropped(drop.reason()).inc();
            ctx.output(DROPPED, drop);
        } else {
            inferred((InferenceResult.Detected) in, out);
        }
    }

    private void inferred(InferenceResult.Detected in, Collector<InferenceResult.Detected> out) {
        FrameDetections d = in.detections();
        if (d.predicted()) {
            out.collect(in); // skipped by inferEvery: not inferred, the tracker fills it in
            return;
        }
        CameraMetrics m = cameras.of(d.camera());
        m.framesInferred.inc();
        m.latencyMs.update(Math.max(0, System.currentTimeMillis() - d.captureTs()));
        m.inferenceMs.update(Math.round(d.inferenceMs()));
        m.setCounts(d.countByLabel());
        out.collect(in);
    }

    /**
     * What {@code objects_current} reads: the count of the camera's last frame here, or 0 once this
     * subtask has seen no frame of the camera for {@link FrameFlowMetrics#OBJECTS_CURRENT_STALE_MS}
     * (a camera that left must not read its last count forever).
     */
    static long objectsNow(long lastCount, long lastFrameMs, long nowMs) {
        return nowMs - lastFrameMs > FrameFlowMetrics.OBJECTS_CURRENT_STALE_MS ? 0 : lastCount;
    }

    /** One camera's metrics in this subtask. */
    private static final class CameraMetrics {
        final MetricGroup group;
        final Counter framesInferred;
        final Histogram latencyMs;
        final Histogram inferenceMs;
        final Map<String, long[]> objectsCurrent = new HashMap<>();
        final Map<String, Counter> dropped = new HashMap<>();

        /** The shared group of cameras beyond the bound: no per-camera object counts there. */
        final boolean shared;

        /** When this subtask last saw a frame of the camera (wall clock, ms). */
        volatile long lastFrameMs;

        CameraMetrics(MetricGroup group, boolean shared) {
            this.group = group;
            this.shared = shared;
            framesInferred = group.counter(FrameFlowMetrics.NAME_FRAMES_INFERRED);
            latencyMs =
                    group.histogram(
                            FrameFlowMetrics.NAME_LATENCY_MS,
                            new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
            inferenceMs =
                    group.histogram(
                            FrameFlowMetrics.NAME_INFERENCE_MS,
                            new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        }

        private long current(long[] holder) {
            return objectsNow(holder[0], lastFrameMs, System.currentTimeMillis());
        }

        /** Same metric identifiers as the drop policy's, so dashboards sum both. */
        Counter dropped(String reason) {
            return dropped.computeIfAbsent(
                    reason,
                    r ->
                            group.addGroup(FrameFlowMetrics.REASON, r)
                                    .counter(FrameFlowMetrics.NAME_FRAMES_DROPPED));
        }

        /**
         * Classes seen before and absent now read 0, not their last count; so does every class of a
         * camera this subtask has not seen a frame of for {@link
         * FrameFlowMetrics#OBJECTS_CURRENT_STALE_MS} (a camera that left).
         */
        void setCounts(Map<String, Integer> counts) {
            lastFrameMs = System.currentTimeMillis();
            if (shared) {
                return;
            }
            for (long[] v : objectsCurrent.values()) {
                v[0] = 0;
            }
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                objectsCurrent
                                .computeIfAbsent(
                                        e.getKey(),
                                        label -> {
                                            long[] holder = new long[1];
                                            group.addGroup(FrameFlowMetrics.CLASS, label)
                                                    .gauge(
                                                            FrameFlowMetrics.NAME_OBJECTS_CURRENT,
                                                            (Gauge<Long>) () -> current(holder));
                                            return holder;
                                        })[0] =
                        e.getValue();
            }
        }
    }
}
