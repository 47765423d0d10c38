package io.frameflow.operators.inference;

/**
 * What a slot loaded, for the start-up log line and the model_info metric.
 *
 * @param name model file name without extension
 * @param file the model path
 * @param format resolved output layout
 * @param device {@code cpu} or {@code cuda:N}
 * @param provider ORT execution provider
 * @param inputShape e.g. {@code [1, 3, 416, 416]} ({@code -1} batch when dynamic)
 * @param loadMs session creation time
 * @param maxBatch frames per ORT call this model accepts with this config
 * @param fallbackWarning set when {@code --device auto} fell back to CPU
 */
public record ModelInfo(
        String name,
        String file,
        ModelFormat format,
        String device,
        String provider,
        String inputShape,
        long loadMs,
        int maxBatch,
        String fallbackWarning) {}
