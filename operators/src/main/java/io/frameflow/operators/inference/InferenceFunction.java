package io.frameflow.operators.inference;

import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.order.RescaleSafeAsyncWait;
import io.frameflow.operators.policy.DropPolicy;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.metrics.FrameFlowMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(InferenceFunction.class);

    /** Metric group and names, per docs/METRICS contract. */
    public static final String METRIC_GROUP = FrameFlowMetrics.GROUP;

    private final DetectorSettings settings;
    private final List<DetectorSettings> others; // --models
    private final long timeoutMs;
    private final long maxFrameAgeMs;

    private Duration modelPoll = Duration.ZERO;

    private transient SlotModels models;
    private transient DescriptiveStatisticsHistogram batchSizes;
    private transient ScheduledExecutorService poller;
    private transient MetricGroup metrics;
    private transient Map<String, MetricGroup> modelGroups; // by model name: the running version's
    // its reload failures: a group hands out a registered metric once, a second counter() is not
    // registered
    private transient Map<String, Counter> reloadFailures;

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
     * Polls the model files every {@code every} and takes up a replaced file without a restart
     * ({@link SlotModels#reload}); zero (the default here) never looks again.
     */
    public InferenceFunction modelPoll(Duration every) {
        if (every.isNegative()) {
            throw new IllegalArgumentException("model poll interval must be >= 0, got " + every);
        }
        this.modelPoll = every;
        return this;
    }

    /**
     * Adds the inference stage: an unordered async wait ({@link RescaleSafeAsyncWait}) with this
     * function, the timeout and capacity (max in-flight frames per slot; the batcher holds at most
     * twice that, see {@link DetectorSettings#maxInflight()}). Callers add {@code .uid()/.name()}.
     */
    public static SingleOutputStreamOperator<InferenceResult> stage(
            DataStream<Frame> frames, DetectorSettings settings, Duration timeout, int capacity) {
        DetectorSettings bounded =
                settings.toBuilder().maxInflight(InferenceOptions.maxInflight(capacity)).build();
        return RescaleSafeAsyncWait.unordered(
                frames,
                new InferenceFunction(bounded, timeout.toMillis()),
                timeout,
                capacity,
                TypeInformation.of(InferenceResult.class));
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
        SlotModels slot = models;
        group.gauge(FrameFlowMetrics.NAME_INFLIGHT_REQUESTS, slot::inflight);
        metrics = group;
        modelGroups = new HashMap<>();
        reloadFailures = new HashMap<>();
        for (CrossCameraBatcher b : models.all()) {
            register(b.info());
        }
        if (!modelPoll.isZero()) {
            poller =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "frameflow-model-poll-" + subtask);
                                t.setDaemon(true);
                                return t;
                            });
            // the old session may hold a frame up to the async timeout: that long it may finish
            Duration drain = Duration.ofMillis(timeoutMs > 0 ? timeoutMs : 30_000);
            SlotModels.Rollout rollout = new MetricsRollout();
            long every = modelPoll.toMillis();
            poller.scheduleWithFixedDelay(
                    () -> {
                        try {
                            slot.reload(drain, rollout);
                        } catch (RuntimeException e) { // never let the schedule die
                            LOG.warn("Model file poll failed", e);
                        }
                    },
                    every,
                    every,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A model version's series: {@code model_info} (always 1) and {@code model_load_ms} under
     * {@code device} and {@code model=name@version}, and its reload failures.
     */
    private synchronized void register(ModelInfo info) {
        MetricGroup model =
                metrics.addGroup(FrameFlowMetrics.DEVICE, info.device())
                        // name@version: a rollout of a new file shows as a new series
                        .addGroup(FrameFlowMetrics.MODEL, info.name() + "@" + info.version());
        model.gauge(FrameFlowMetrics.NAME_MODEL_INFO, () -> 1);
        long loadMs = info.loadMs();
        model.gauge(FrameFlowMetrics.NAME_MODEL_LOAD_MS, () -> loadMs);
        reloadFailures.put(info.name(), model.counter(FrameFlowMetrics.NAME_MODEL_RELOAD_FAILURES));
        modelGroups.put(info.name(), model);
    }

    /** A new version takes its old one's place in the metrics; a refused file is counted. */
    private final class MetricsRollout implements SlotModels.Rollout {
        @Override
        public void swapped(ModelInfo before, ModelInfo now) {
            synchronized (InferenceFunction.this) {
                // the old version's series leave the scrape (Flink's runtime groups can be closed)
                if (modelGroups.get(before.name()) instanceof AbstractMetricGroup<?> closable) {
                    closable.close();
                }
                register(now);
            }
        }

        @Override
        public void refused(ModelInfo running, String reason) {
            synchronized (InferenceFunction.this) {
                reloadFailures.get(running.name()).inc();
            }
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
    private InferenceResult result(
            Frame frame, SlotModels.Inferred inferred, Throwable t, boolean ageFirst) {
        if (t == null) {
            FrameResult r = inferred.result();
            return new InferenceResult.Detected(
                    frame,
                    new FrameDetections(
                            frame.camera(),
                            frame.seq(),
                            frame.captureTs(),
                            r.width(),
                            r.height(),
                            inferred.model(),
                            r.inferenceMs(),
                            r.detections(),
                            false,
                            inferred.version()));
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
    protected CompletableFuture<SlotModels.Inferred> infer(Frame frame, long deadlineMs) {
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
        SlotModels slot = models;
        return new InferenceResult.Failed(
                frame,
                "inference-timeout: no result within "
                        + timeoutMs
                        + " ms ("
                        + (slot == null ? "?" : slot.first().inflight())
                        + " frames in flight in this slot)");
    }

    @Override
    public void close() throws Exception {
        if (poller != null) {
            poller.shutdownNow();
            // a reload in progress ends with its swap or refusal before the models close
            poller.awaitTermination(1, TimeUnit.MINUTES);
            poller = null;
        }
        if (models != null) {
            models.close();
            models = null;
        }
    }

    /** This slot's batcher of its first model now; null before open() and after close(). */
    CrossCameraBatcher batcher() {
        SlotModels slot = models;
        return slot == null ? null : slot.first();
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
