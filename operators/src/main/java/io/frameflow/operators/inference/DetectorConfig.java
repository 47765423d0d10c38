package io.frameflow.operators.inference;

import java.io.Serializable;
import java.util.List;

/**
 * Everything the detector needs; serializable so it travels inside the Flink function.
 *
 * @param modelPath ONNX file
 * @param format output layout, or AUTO
 * @param device auto, cpu, cuda or cuda:N
 * @param intraOpThreads ORT intra-op threads; 0 = auto (CPU: half the cores, 1..4; GPU: 1)
 * @param interOpThreads ORT inter-op threads (graphs run sequentially; 1 is right for detectors)
 * @param spinning let ORT worker threads spin-wait (lower latency, burns CPU; off suits shared
 *     boxes)
 * @param scoreThreshold keep boxes scoring above this; NaN = the format's default
 * @param iouThreshold NMS IoU; NaN = the format's default
 * @param classFilter labels to keep (e.g. {@code person}); empty = all
 * @param labelsFile one label per line, line index = class id; null = model metadata or COCO-80
 * @param maxBatch most frames per ORT call (models with a fixed batch of 1 use 1)
 * @param maxBatchDelayMs how long the batcher waits for more frames once one is queued
 * @param preprocessThreads threads decoding and preprocessing frames; 0 = auto (half the cores,
 *     1..4)
 * @param inputWidth input width for models with a dynamic size (YuNet); 0 = 640
 * @param inputHeight input height for models with a dynamic size; 0 = 640
 */
public record DetectorConfig(
        String modelPath,
        ModelFormat format,
        String device,
        int intraOpThreads,
        int interOpThreads,
        boolean spinning,
        float scoreThreshold,
        float iouThreshold,
        List<String> classFilter,
        String labelsFile,
        int maxBatch,
        long maxBatchDelayMs,
        int preprocessThreads,
        int inputWidth,
        int inputHeight)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_DYNAMIC_SIZE = 640;

    public DetectorConfig {
        if (modelPath == null || modelPath.isBlank()) {
            throw new IllegalArgumentException("--model is required (path to an ONNX file)");
        }
        format = format == null ? ModelFormat.AUTO : format;
        device = device == null ? "auto" : device;
        DeviceSpec.parse(device); // validate early
        classFilter = classFilter == null ? List.of() : List.copyOf(classFilter);
        require(intraOpThreads >= 0, "intra-op threads must be >= 0 (0 = auto)");
        require(interOpThreads >= 1, "inter-op threads must be >= 1");
        require(maxBatch >= 1, "--max-batch must be >= 1");
        require(maxBatchDelayMs >= 0, "--max-batch-delay-ms must be >= 0");
        require(preprocessThreads >= 0, "preprocess threads must be >= 0 (0 = auto)");
        require(
                Float.isNaN(scoreThreshold) || (scoreThreshold >= 0 && scoreThreshold < 1),
                "score threshold must be in [0, 1)");
        require(
                Float.isNaN(iouThreshold) || (iouThreshold > 0 && iouThreshold <= 1),
                "NMS IoU must be in (0, 1]");
        require(
                inputWidth % 32 == 0 && inputHeight % 32 == 0 && inputWidth >= 0,
                "dynamic input size must be a multiple of 32");
    }

    /** Defaults for everything but the model: auto format and device, max batch 8, 2 ms delay. */
    public static DetectorConfig of(String modelPath) {
        return new DetectorConfig(
                modelPath,
                ModelFormat.AUTO,
                "auto",
                0,
                1,
                false,
                Float.NaN,
                Float.NaN,
                List.of(),
                null,
                8,
                2,
                0,
                0,
                0);
    }

    public DetectorConfig withFormat(ModelFormat f) {
        return new DetectorConfig(
                modelPath,
                f,
                device,
                intraOpThreads,
                interOpThreads,
                spinning,
                scoreThreshold,
                iouThreshold,
                classFilter,
                labelsFile,
                maxBatch,
                maxBatchDelayMs,
                preprocessThreads,
                inputWidth,
                inputHeight);
    }

    public DetectorConfig withDevice(String d) {
        return new DetectorConfig(
                modelPath,
                format,
                d,
                intraOpThreads,
                interOpThreads,
                spinning,
                scoreThreshold,
                iouThreshold,
                classFilter,
                labelsFile,
                maxBatch,
                maxBatchDelayMs,
                preprocessThreads,
                inputWidth,
                inputHeight);
    }

    public DetectorConfig withThreads(int intraOp, int preprocess, boolean spin) {
        return new DetectorConfig(
                modelPath,
                format,
                device,
                intraOp,
                interOpThreads,
                spin,
                scoreThreshold,
                iouThreshold,
                classFilter,
                labelsFile,
                maxBatch,
                maxBatchDelayMs,
                preprocess,
                inputWidth,
                inputHeight);
    }

    public DetectorConfig withThresholds(float score, float iou) {
        return new DetectorConfig(
                modelPath,
                format,
                device,
                intraOpThreads,
                interOpThreads,
                spinning,
                score,
                iou,
                classFilter,
                labelsFile,
                maxBatch,
                maxBatchDelayMs,
                preprocessThreads,
                inputWidth,
                inputHeight);
    }

    public DetectorConfig withClassFilter(List<String> classes) {
        return new DetectorConfig(
                modelPath,
                format,
                device,
                intraOpThreads,
                interOpThreads,
                spinning,
                scoreThreshold,
                iouThreshold,
                classes,
                labelsFile,
                maxBatch,
                maxBatchDelayMs,
                preprocessThreads,
                inputWidth,
                inputHeight);
    }

    public DetectorConfig withLabelsFile(String file) {
        return new DetectorConfig(
                modelPath,
                format,
                device,
                intraOpThreads,
                interOpThreads,
                spinning,
                scoreThreshold,
                iouThreshold,
                classFilter,
                file,
                maxBatch,
                maxBatchDelayMs,
                preprocessThreads,
                inputWidth,
                inputHeight);
    }

    public DetectorConfig withBatching(int batch, long delayMs) {
        return new DetectorConfig(
                modelPath,
                format,
                device,
                intraOpThreads,
                interOpThreads,
                spinning,
                scoreThreshold,
                iouThreshold,
                classFilter,
                labelsFile,
                batch,
                delayMs,
                preprocessThreads,
                inputWidth,
                inputHeight);
    }

    public DetectorConfig withInputSize(int w, int h) {
        return new DetectorConfig(
                modelPath,
                format,
                device,
                intraOpThreads,
                interOpThreads,
                spinning,
                scoreThreshold,
                iouThreshold,
                classFilter,
                labelsFile,
                maxBatch,
                maxBatchDelayMs,
                preprocessThreads,
                w,
                h);
    }

    /** Intra-op threads actually used. */
    public int effectiveIntraOpThreads(boolean gpu) {
        if (intraOpThreads > 0) {
            return intraOpThreads;
        }
        return gpu ? 1 : halfTheCores();
    }

    /** Preprocessing threads actually used. */
    public int effectivePreprocessThreads() {
        return preprocessThreads > 0 ? preprocessThreads : halfTheCores();
    }

    private static int halfTheCores() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
