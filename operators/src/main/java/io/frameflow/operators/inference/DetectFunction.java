package io.frameflow.operators.inference;

import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.model.DetectedFrame;
import io.frameflow.operators.policy.DropPolicy;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.time.Duration;
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
 * The Flink side of inference: each parallel instance opens its own session, executor and batcher
 * in {@link #open} (nothing static; the subtask index picks the GPU when there are several) and
 * closes them in {@link #close}. Every frame yields exactly one {@link DetectedFrame}: detections,
 * or an error ({@code undecodable-image: ...}, {@code inference-failed: ...}, {@code
 * inference-timeout: ...}) that the job routes to the dead-letter topic; nothing here fails the job
 * after start-up.
 *
 * <p>With a maximum frame age, a frame still waiting for inference when it grows older than that
 * (capture time to wall clock) is not inferred but emitted as {@link DetectedFrame#dropped} with
 * reason {@link DropPolicy#REASON_MAX_AGE}: under overload the frames queued in this operator (up
 * to its capacity) would otherwise each wait for all those before them, and the age checked
 * upstream by the {@link io.frameflow.operators.policy.DropPolicyFunction} would not bound the
 * latency.
 */
public class DetectFunction extends RichAsyncFunction<Frame, DetectedFrame> {

    private static final long serialVersionUID = 1L;

    /** Metric group and names, per docs/METRICS contract. */
    public static final String METRIC_GROUP = "frameflow";

    private final DetectorConfig config;
    private final long timeoutMs;
    private final long maxFrameAgeMs;

    private transient AsyncDetector detector;
    private transient String modelName;
    private transient DescriptiveStatisticsHistogram batchSizes;

    /**
     * @param timeoutMs the async timeout the operator is built with (only used in the timeout
     *     message)
     */
    public DetectFunction(DetectorConfig config, long timeoutMs) {
        this(config, timeoutMs, 0);
    }

    /**
     * @param maxFrameAgeMs drop frames older than this (capture time to the start of their
     *     inference) instead of inferring them; 0 = never
     */
    public DetectFunction(DetectorConfig config, long timeoutMs, long maxFrameAgeMs) {
        if (maxFrameAgeMs < 0) {
            throw new IllegalArgumentException("max frame age must be >= 0, got " + maxFrameAgeMs);
        }
        this.config = config;
        this.timeoutMs = timeoutMs;
        this.maxFrameAgeMs = maxFrameAgeMs;
    }

    /**
     * Adds the inference stage: {@code AsyncDataStream.unorderedWait} with this function, the
     * timeout and capacity (max in-flight frames per slot). Callers add {@code .uid()/.name()}.
     */
    public static SingleOutputStreamOperator<DetectedFrame> detect(
            DataStream<Frame> frames, DetectorConfig config, Duration timeout, int capacity) {
        return AsyncDataStream.unorderedWait(
                frames,
                new DetectFunction(config, timeout.toMillis()),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS,
                capacity);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
        batchSizes = new DescriptiveStatisticsHistogram(1000);
        group.histogram("batch_size", batchSizes);
        detector = AsyncDetector.start(config, subtask, batchSizes::update);
        ModelInfo info = detector.info();
        modelName = info.name();
        group.gauge("inflight_requests", detector::inflight);
        MetricGroup model = group.addGroup("device", info.device()).addGroup("model", info.name());
        model.gauge("model_info", () -> 1);
        long loadMs = info.loadMs();
        model.gauge("model_load_ms", () -> loadMs);
    }

    @Override
    public void asyncInvoke(Frame frame, ResultFuture<DetectedFrame> resultFuture) {
        long deadline =
                maxFrameAgeMs > 0 && frame.captureTs() < Long.MAX_VALUE - maxFrameAgeMs
                        ? frame.captureTs() + maxFrameAgeMs
                        : Long.MAX_VALUE;
        infer(frame, deadline)
                .whenComplete(
                        (r, t) -> {
                            if (t != null && unwrap(t) instanceof FrameExpiredException) {
                                resultFuture.complete(
                                        List.of(
                                                DetectedFrame.dropped(
                                                        frame, DropPolicy.REASON_MAX_AGE)));
                            } else if (t == null) {
                                resultFuture.complete(
                                        List.of(
                                                DetectedFrame.ok(
                                                        frame,
                                                        new FrameDetections(
                                                                frame.camera(),
                                                                frame.seq(),
                                                                frame.captureTs(),
                                                                r.width(),
                                                                r.height(),
                                                                modelName,
                                                                r.inferenceMs(),
                                                                r.detections()))));
                            } else {
                                resultFuture.complete(
                                        List.of(DetectedFrame.failed(frame, reason(t))));
                            }
                        });
    }

    /**
     * Runs the frame through this slot's detector; a frame still queued at {@code deadlineMs}
     * completes with {@link FrameExpiredException}.
     */
    protected CompletableFuture<FrameResult> infer(Frame frame, long deadlineMs) {
        return detector.detect(frame.image(), deadlineMs);
    }

    @Override
    public void timeout(Frame frame, ResultFuture<DetectedFrame> resultFuture) {
        resultFuture.complete(
                List.of(
                        DetectedFrame.failed(
                                frame,
                                "inference-timeout: no result within "
                                        + timeoutMs
                                        + " ms ("
                                        + (detector == null ? "?" : detector.inflight())
                                        + " frames in flight in this slot)")));
    }

    @Override
    public void close() throws Exception {
        if (detector != null) {
            detector.close();
            detector = null;
        }
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
        return "inference-failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
