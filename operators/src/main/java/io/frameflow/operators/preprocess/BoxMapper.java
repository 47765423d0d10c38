package io.frameflow.operators.preprocess;

/**
 * Maps model-input coordinates back to original-image pixels: undo the padding, the resize and the
 * reduced JPEG decoding in one step.
 */
public record BoxMapper(float padX, float padY, float scaleX, float scaleY, int width, int height) {

    /**
     * @param geometry placement of the decoded frame in the input
     * @param decodedWidth width the decoder produced (smaller than the original when reduced)
     * @param originalWidth original width
     */
    public static BoxMapper of(
            InputGeometry geometry,
            int decodedWidth,
            int decodedHeight,
            int originalWidth,
            int originalHeight) {
        float sx = geometry.scaleX() * decodedWidth / originalWidth;
        float sy = geometry.scaleY() * decodedHeight / originalHeight;
        return new BoxMapper(
                geometry.padX(), geometry.padY(), sx, sy, originalWidth, originalHeight);
    }

    public float x(float inputX) {
        return clamp((inputX - padX) / scaleX, width);
    }

    public float y(float inputY) {
        return clamp((inputY - padY) / scaleY, height);
    }

    private static float clamp(float v, int max) {
        return v < 0f ? 0f : (v > max ? max : v);
    }
}
