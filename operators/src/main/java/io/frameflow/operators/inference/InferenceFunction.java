package io.frameflow.operators.inference;

import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.policy.DropPolicy;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.metrics.FrameFlowMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The Flink async function of inference: each parallel instance starts its own {@link
 * CrossCameraBatcher} (session, preprocess threads, inference thread) in {@link #open} (nothing
 * static; the subtask index picks the GPU when there are several) and closes it in {@link #close}.
 * Every frame yields exactly one {@link InferenceResult}: {@link InferenceResult.Detected}, or
 * {@link InferenceResult.Failed} ({@code undecodable-image: ...}, {@code inference-failed: ...},
 * {@code inference-timeout: ...}) that the job routes to the dead-letter topic; nothing here fails
 * the job after start-up.
 *
 * <p>With a maximum frame age, a frame still waiting for inference when it grows older than that
 * (capture time to wall clock) is not inferred but emitted as {@link InferenceResult.Expired} with
 * reason {@link DropPolicy#REASON_MAX_AGE}: under overload the frames queued in this operator (up
 * to its capacity) would otherwise each wait for all those before them, and the age checked
 * upstream by the {@link io.frameflow.operators.policy.DropPolicyFunction} would not bound the
 * latency. Likewise a frame still waiting when the async timeout passes is dropped, not decoded or
 * inferred: Flink has emitted its timeout result and taken a new frame in its place.
 */
public class InferenceFunction extends RichAsyncFunction<Frame, InferenceResult> {

    private static final long serialVersionUID = 1L;

    /** Metric group and names, per docs/METRICS contract. */
    public static final String METRIC_GROUP = FrameFlowMetrics.GROUP;

    private final DetectorSettings settings;
    private final List<DetectorSettings> others; // --models
    private final long timeoutMs;
    private final long maxFrameAgeMs;

    private transient SlotModels models;
    private transient CrossCameraBatcher batcher;
    private transient DescriptiveStatisticsHistogram batchSizes;

    /**
     * @param timeoutMs the async timeout the operator is built with: a frame still waiting for
     *     decoding or inference when it passes is dropped (its result is the timeout's); 0 = none
     */
    public InferenceFunction(DetectorSettings settings, long timeoutMs) {
        this(settings, timeoutMs, 0);
    }

    /**
     * @param maxFrameAgeMs drop frames older than this (capture time to the start of their
     *     inference) instead of inferring them; 0 = never
     */
    public InferenceFunction(DetectorSettings settings, long timeoutMs, long maxFrameAgeMs) {
        this(settings, List.of(), timeoutMs, maxFrameAgeMs);
    }

    /**
     * @param others the job's other models ({@code --models}), which cameras choose in their
     *     settings; frames that choose none run {@code settings}' model
     */
    public InferenceFunction(
            DetectorSettings settings,
            List<DetectorSettings> others,
            long timeoutMs,
            long maxFrameAgeMs) {
        if (maxFrameAgeMs < 0) {
            throw new IllegalArgumentException("max frame age must be >= 0, got " + maxFrameAgeMs);
        }
        this.settings = settings;
        this.others = new ArrayList<>(others);
        this.timeoutMs = timeoutMs;
        this.maxFrameAgeMs = maxFrameAgeMs;
    }

    /**
     * Adds the inference stage: {@code AsyncDataStream.unorderedWait} with this function, the
     * timeout and capacity (max in-flight frames per slot; the batcher holds at most twice that,
     * see {@link DetectorSettings#maxInflight()}). Callers add {@code .uid()/.name()}.
     */
    public static SingleOutputStreamOperator<InferenceResult> stage(
            DataStream<Frame> frames, DetectorSettings settings, Duration timeout, int capacity) {
        DetectorSettings bounded =
                settings.toBuilder().maxInflight(InferenceOptions.maxInflight(capacity)).build();
        return AsyncDataStream.unorderedWait(
                frames,
                new InferenceFunction(bounded, timeout.toMillis()),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS,
                capacity);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
        batchSizes = new DescriptiveStatisticsHistogram(1000);
        group.histogram(FrameFlowMetrics.NAME_BATCH_SIZE, batchSizes);
        List<DetectorSettings> all = new ArrayList<>();
        all.add(settings);
        all.addAll(others);
        models = SlotModels.start(all, subtask, batchSizes::update);
        batcher = models.first();
        SlotModels slot = models;
        group.gauge(FrameFlowMetrics.NAME_INFLIGHT_REQUESTS, slot::inflight);
        for (CrossCameraBatcher b : models.all()) {
            ModelInfo info = b.info();
            MetricGroup model =
                    group.addGroup(FrameFlowMetrics.DEVICE, info.device())
                            // name@version: a rollout of a new file shows as a new series
                            .addGroup(FrameFlowMetrics.MODEL, info.name() + "@" + info.version());
            model.gauge(FrameFlowMetrics.NAME_MODEL_INFO, () -> 1);
            long loadMs = info.loadMs();
            model.gauge(FrameFlowMetrics.NAME_MODEL_LOAD_MS, () -> loadMs);
        }
    }

    /**
     * Hands the frame to the batcher with a deadline: the earlier of its max-age deadline and the
     * async timeout. Flink's {@link #timeout} answers for a timed-out frame but cannot stop the
     * work; without the deadline the frame would still be decoded and inferred while Flink admits a
     * new one in its place, so an overloaded slot's queue would grow without bound.
     */
    @Override
    public void asyncInvoke(Frame frame, ResultFuture<InferenceResult> resultFuture) {
        long ageDeadline = after(frame.captureTs(), maxFrameAgeMs);
        long timeoutDeadline = after(System.currentTimeMillis(), timeoutMs);
        boolean ageFirst = ageDeadline <= timeoutDeadline;
        infer(frame, Math.min(ageDeadline, timeoutDeadline))
                .whenComplete(
                        (r, t) -> resultFuture.complete(List.of(result(frame, r, t, ageFirst))));
    }

    /** {@code start + limitMs}; never for no limit (0) or an overflow. */
    private static long after(long start, long limitMs) {
        return limitMs > 0 && start < Long.MAX_VALUE - limitMs ? start + limitMs : Long.MAX_VALUE;
    }

    /**
     * @param ageFirst whether the frame's max-age deadline came before its timeout: tells which of
     *     the two an expired frame ran into
     */
    private InferenceResult result(Frame frame, FrameResult r, Throwable t, boolean ageFirst) {
        if (t == null) {
            List<Integer> which = models.indices(frame.models());
            return new InferenceResult.Detected(
                    frame,
                    new FrameDetections(
                            frame.camera(),
                            frame.seq(),
                            frame.captureTs(),
                            r.width(),
                            r.height(),
                            models.name(which),
                            r.inferenceMs(),
                            r.detections(),
                            false,
                            models.version(which)));
        }
        if (unwrap(t) instanceof FrameExpiredException) {
            return ageFirst
                    ? new InferenceResult.Expired(frame, DropPolicy.REASON_MAX_AGE)
                    : timedOut(frame);
        }
        return new InferenceResult.Failed(frame, reason(t));
    }

    /**
     * Runs the frame through this slot's detector; a frame still queued at {@code deadlineMs}
     * completes with {@link FrameExpiredException}.
     */
    protected CompletableFuture<FrameResult> infer(Frame frame, long deadlineMs) {
        List<Integer> which;
        try {
            which = models.indices(frame.models());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e); // the settings' check keeps these out
        }
        return models.detect(frame.image(), which, deadlineMs);
    }

    @Override
    public void timeout(Frame frame, ResultFuture<InferenceResult> resultFuture) {
        resultFuture.complete(List.of(timedOut(frame)));
    }

    /** The one timeout result, from Flink's timer or from the batcher dropping the frame. */
    private InferenceResult timedOut(Frame frame) {
        CrossCameraBatcher b = batcher;
        return new InferenceResult.Failed(
                frame,
                "inference-timeout: no result within "
                        + timeoutMs
                        + " ms ("
                        + (b == null ? "?" : b.inflight())
                        + " frames in flight in this slot)");
    }

    @Override
    public void close() throws Exception {
        if (models != null) {
            models.close();
            models = null;
            batcher = null;
        }
    }

    /** This slot's batcher; null before open() and after close(). */
    CrossCameraBatcher batcher() {
        return batcher;
    }

    /** Sizes of the ORT calls so far (the batch_size metric); null before open(). */
    DescriptiveStatisticsHistogram batchSizes() {
        return batchSizes;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The dead-letter reason for a failed frame. */
    static String reason(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof UndecodableImageException) {
            return cause.getMessage();
        }
        if (cause instanceof IllegalArgumentException
                && String.valueOf(cause.getMessage()).startsWith("unknown-model")) {
            return cause.getMessage();
        }
        return "inference-failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
