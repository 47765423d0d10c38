package io.frameflow.operators.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The tensor written with bulk row copies equals a plain per-element reference, pads included. */
class TensorWriterTest {

    private static Mat image(int w, int h) {
        Mat m = new Mat(h, w, CV_8UC3);
        UByteIndexer ix = m.createIndexer();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    ix.put(y, x, c, (x * 31 + y * 17 + c * 59) % 256);
                }
            }
        }
        ix.close();
        return m;
    }

    /** The obvious implementation: every element of every plane, pad where no pixel lands. */
    private static float[] reference(
            Mat src, PreprocessSpec spec, InputGeometry g, int inW, int inH) {
        UByteIndexer ix = src.createIndexer();
        float[] out = new float[3 * inW * inH];
        for (int c = 0; c < 3; c++) {
            int srcC = spec.rgb() ? 2 - c : c;
            for (int y = 0; y < inH; y++) {
                for (int x = 0; x < inW; x++) {
                    int sx = x - g.padX();
                    int sy = y - g.padY();
                    boolean inside = sx >= 0 && sy >= 0 && sx < g.width() && sy < g.height();
                    float v = inside ? ix.get(sy, sx, srcC) : spec.pad();
                    out[c * inW * inH + y * inW + x] = v * spec.mul()[c] + spec.add()[c];
                }
            }
        }
        ix.close();
        return out;
    }

    private static void check(ResizeMode mode, int w, int h, int inW, int inH, int offset) {
        PreprocessSpec spec =
                new PreprocessSpec(
                        mode,
                        true,
                        new float[] {1 / 255f, 0.5f, 2f},
                        new float[] {0f, -1f, 3f},
                        114,
                        false);
        FloatBuffer out =
                ByteBuffer.allocateDirect(4 * (offset + 3 * inW * inH))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        for (int i = 0; i < out.capacity(); i++) {
            out.put(i, Float.NaN); // every element must be written
        }
        try (Mat src = image(w, h);
                TensorWriter writer = new TensorWriter(spec, inW, inH)) {
            InputGeometry g = writer.write(src, out, offset);
            // same size in and out: no resize, so the reference can read the source pixels
            assertThat(g.width()).isEqualTo(w);
            assertThat(g.height()).isEqualTo(h);
            float[] expected = reference(src, spec, g, inW, inH);
            float[] actual = new float[expected.length];
            out.get(offset, actual);
            assertThat(actual)
                    .as(mode + " " + w + "x" + h + " in " + inW + "x" + inH)
                    .containsExactly(expected);
            for (int i = 0; i < offset; i++) {
                assertThat(out.get(i)).as("before the offset: untouched").isNaN();
            }
        }
    }

    @Test
    void letterboxCentredWithPaddingOnEverySide() {
        check(ResizeMode.LETTERBOX_CENTER, 6, 3, 6, 7, 0); // pad rows above and below
        check(ResizeMode.LETTERBOX_CENTER, 3, 6, 7, 6, 5); // pad columns left and right
    }

    @Test
    void letterboxTopLeftAndExactFit() {
        check(ResizeMode.LETTERBOX_TOP_LEFT, 5, 2, 5, 6, 0); // pad rows below only
        check(ResizeMode.LETTERBOX_TOP_LEFT, 2, 5, 6, 5, 3); // pad columns right only
        check(ResizeMode.STRETCH, 4, 4, 4, 4, 0); // no pad at all
    }
}
