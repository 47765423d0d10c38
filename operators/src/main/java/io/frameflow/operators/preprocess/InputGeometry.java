package io.frameflow.operators.preprocess;

/**
 * Where the (possibly reduced) decoded frame sits inside the model input.
 *
 * @param width resized width in input pixels
 * @param height resized height
 * @param padX left offset of the pasted image
 * @param padY top offset
 * @param scaleX input pixels per decoded pixel
 * @param scaleY same, vertically
 */
public record InputGeometry(
        int width, int height, int padX, int padY, float scaleX, float scaleY) {}
