package io.frameflow.operators.preprocess;

/**
 * What a model wants its input to look like. Each channel value is {@code pixel * mul + add}.
 *
 * @param resize how the frame is fitted
 * @param rgb true for RGB channel order, false for BGR
 * @param mul per-channel multiplier (in model channel order)
 * @param add per-channel offset
 * @param pad padding pixel value (before normalisation)
 * @param allowUpscale false keeps small frames at their size (letterbox only)
 */
public record PreprocessSpec(
        ResizeMode resize, boolean rgb, float[] mul, float[] add, int pad, boolean allowUpscale) {

    public static PreprocessSpec of(
            ResizeMode resize, boolean rgb, float mul, float add, int pad, boolean allowUpscale) {
        return new PreprocessSpec(
                resize,
                rgb,
                new float[] {mul, mul, mul},
                new float[] {add, add, add},
                pad,
                allowUpscale);
    }

    /** Where a {@code w x h} frame lands in an {@code inW x inH} input. */
    public InputGeometry fit(int w, int h, int inW, int inH) {
        if (resize == ResizeMode.STRETCH) {
            return new InputGeometry(inW, inH, 0, 0, (float) inW / w, (float) inH / h);
        }
        float r = Math.min((float) inW / w, (float) inH / h);
        if (!allowUpscale) {
            r = Math.min(r, 1f);
        }
        int nw = Math.max(1, Math.min(inW, (int) (w * r)));
        int nh = Math.max(1, Math.min(inH, (int) (h * r)));
        int dx = resize == ResizeMode.LETTERBOX_CENTER ? (inW - nw) / 2 : 0;
        int dy = resize == ResizeMode.LETTERBOX_CENTER ? (inH - nh) / 2 : 0;
        return new InputGeometry(nw, nh, dx, dy, r, r);
    }
}
