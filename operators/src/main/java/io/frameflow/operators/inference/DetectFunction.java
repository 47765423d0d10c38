package io.frameflow.operators.inference;

import io.frameflow.operators.decode.UndecodableImageException;
import io.frameflow.operators.model.DetectedFrame;
import io.frameflow.operators.model.Frame;
import io.frameflow.operators.model.FrameDetections;
import java.time.Duration;
import java.util.List;
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
 */
public class DetectFunction extends RichAsyncFunction<Frame, DetectedFrame> {

    private static final long serialVersionUID = 1L;

    /** Metric group and names, per docs/METRICS contract. */
    public static final String METRIC_GROUP = "frameflow";

    private final DetectorConfig config;
    private final long timeoutMs;

    private transient AsyncDetector detector;
    private transient String modelName;
    private transient DescriptiveStatisticsHistogram batchSizes;

    /**
     * @param timeoutMs the async timeout the operator is built with (only used in the timeout
     *     message)
     */
    public DetectFunction(DetectorConfig config, long timeoutMs) {
        this.config = config;
        this.timeoutMs = timeoutMs;
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
        detector.detect(frame.image())
                .whenComplete(
                        (r, t) -> {
                            if (t == null) {
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

    /** The dead-letter reason for a failed frame. */
    static String reason(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof UndecodableImageException) {
            return cause.getMessage();
        }
        return "inference-failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
