package io.frameflow.operators.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.frameflow.operators.decode.BrokenImages;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {

    private static byte[] jpeg(int w, int h, int blockX, int grey) {
        try (Mat m = new Mat(h, w, CV_8UC3, new Scalar(grey, grey, grey, 0));
                BytePointer out = new BytePointer()) {
            if (blockX >= 0) {
                rectangle(
                        m,
                        new Point(blockX, h / 3),
                        new Point(blockX + w / 12, h * 5 / 6),
                        new Scalar(250, 250, 250, 0),
                        FILLED,
                        8,
                        0);
            }
            imencode(".jpg", m, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    @Test
    void aThumbnailIs64WideWithTheFramesAspectAndSameFramesDoNotDiffer() {
        try (Thumbnails t = new Thumbnails()) {
            byte[] a = t.of(jpeg(1280, 720, 100, 90));
            assertThat(a[0]).isEqualTo((byte) 64);
            assertThat(a[1]).isEqualTo((byte) 36);
            assertThat(a).hasSize(2 + 64 * 36);
            assertThat(Thumbnails.changed(a, t.of(jpeg(1280, 720, 100, 90)))).isZero();
        }
    }

    @Test
    void aMovedObjectChangesItAndALittleNoiseOrLightDoesNot() {
        try (Thumbnails t = new Thumbnails()) {
            byte[] before = t.of(jpeg(640, 360, 100, 90));
            // a person-sized block moved by its own width: a few percent of the picture
            assertThat(Thumbnails.changed(before, t.of(jpeg(640, 360, 160, 90))))
                    .isGreaterThan(0.02);
            // the whole picture 6 grey levels brighter (light, exposure): under the pixel delta
            assertThat(Thumbnails.changed(before, t.of(jpeg(640, 360, 100, 96)))).isZero();
        }
    }

    @Test
    void anotherSizeOrAnUndecodableFrameCountsAsAChange() {
        try (Thumbnails t = new Thumbnails()) {
            byte[] wide = t.of(jpeg(640, 360, -1, 90));
            byte[] square = t.of(jpeg(480, 480, -1, 90));
            assertThat(Thumbnails.changed(wide, square)).isEqualTo(1);
            assertThat(t.of(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2})).isNull();
            assertThat(Thumbnails.changed(wide, null)).isEqualTo(1);
        }
    }

    @Test
    void aFrameWhosePixelsDoNotDecodeHasNoThumbnailNotThePreviousOne() throws Exception {
        byte[] good = BrokenImages.png(64, 48);
        byte[] broken = BrokenImages.withCorruptImageData(good);
        try (Thumbnails t = new Thumbnails()) {
            // same size as the frame before: the thumbnailer reuses its image buffer for it
            byte[] first = t.of(good);
            assertThat(first).hasSize(2 + 64 * 48);
            assertThat(t.of(broken)).isNull();
            assertThat(t.of(good)).isEqualTo(first);
        }
    }
}
