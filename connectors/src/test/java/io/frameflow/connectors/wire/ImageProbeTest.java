package io.frameflow.connectors.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.connectors.TestImages;
import io.frameflow.records.Frame;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import io.frameflow.records.wire.ImageRejectedException;
import io.frameflow.records.wire.RejectReason;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageProbeTest {

    @Test
    void readsTheSizeOfEverySharedFrameWithoutDecodingIt() throws Exception {
        var frames = SharedFrames.load();
        assertThat(frames).hasSize(99);
        for (SharedFrame f : frames) {
            ImageInfo info = ImageProbe.probe(f.jpeg());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(f.jpeg()));
            assertThat(info.contentType()).as(f.fileName()).isEqualTo(Frame.JPEG);
            assertThat(info.width()).as(f.fileName()).isEqualTo(decoded.getWidth());
            assertThat(info.height()).as(f.fileName()).isEqualTo(decoded.getHeight());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bus.jpg",
                "coco_frisbee_4people.jpg",
                "coco_livingroom_4people.jpg",
                "faces_bench_5.jpg",
                "faces_family_5.jpg",
                "faces_handshake_2.jpg",
                "faces_kids_8.jpg",
                "grace_hopper.jpg",
                "zidane.jpg"
            })
    void acceptsRealPhotosFromOtherEncoders(String name) throws Exception {
        byte[] jpeg = TestImages.image(name);
        ImageInfo info = ImageProbe.probe(jpeg);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(info.width()).isEqualTo(decoded.getWidth());
        assertThat(info.height()).isEqualTo(decoded.getHeight());
    }

    @Test
    void acceptsAPngWrittenByImageIo() throws Exception {
        ImageInfo info = ImageProbe.probe(TestImages.png(321, 123));
        assertThat(info).isEqualTo(new ImageInfo(Frame.PNG, 321, 123));
    }

    @Test
    void acceptsAJpegWrittenByImageIo() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        assertThat(ImageProbe.probe(out.toByteArray()))
                .isEqualTo(new ImageInfo(Frame.JPEG, 64, 48));
    }

    @Test
    void toleratesPaddingAfterTheEndOfImage() throws Exception {
        byte[] jpeg = TestImages.realJpeg();
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 100);
        assertThat(ImageProbe.probe(padded).width()).isEqualTo(480);
    }

    @Test
    void everyTruncationOfARealJpegIsTruncatedJpeg() {
        byte[] jpeg = TestImages.realJpeg();
        // every cut in the headers, then every 7th byte through the scan, and the last bytes
        for (int len = 2; len < jpeg.length; len += len < 700 ? 1 : 7) {
            assertRejected(Arrays.copyOf(jpeg, len), RejectReason.TRUNCATED_JPEG);
        }
        assertRejected(Arrays.copyOf(jpeg, jpeg.length - 1), RejectReason.TRUNCATED_JPEG);
        assertRejected(Arrays.copyOf(jpeg, jpeg.length - 2), RejectReason.TRUNCATED_JPEG);
    }

    @Test
    void aJpegWithoutFrameHeaderIsCorrupt() {
        assertThatThrownBy(() -> ImageProbe.probe(TestImages.jpegWithoutSof(TestImages.realJpeg())))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(RejectReason.CORRUPT_JPEG);
                            assertThat(e.detail()).contains("SOF");
                        });
    }

    @Test
    void aJpegWithHeadersButNoScanIsCorrupt() {
        byte[] jpeg = TestImages.realJpeg();
        int sos = TestImages.markerOffset(jpeg, 0xDA);
        byte[] headersOnly = Arrays.copyOf(jpeg, sos + 2);
        headersOnly[sos + 1] = (byte) 0xD9; // EOI where the scan should start
        assertThatThrownBy(() -> ImageProbe.probe(headersOnly))
                .hasMessage("corrupt-jpeg: no scan (SOS) before EOI: headers only, no image data");
    }

    @Test
    void aJpegWithGarbageWhereAMarkerShouldBeIsCorrupt() {
        byte[] jpeg = TestImages.realJpeg().clone();
        jpeg[2] = 0x12; // the first marker after SOI
        assertRejected(jpeg, RejectReason.CORRUPT_JPEG);
    }

    @Test
    void aJpegDeclaringZeroWidthIsCorrupt() {
        assertRejected(
                TestImages.jpegDeclaring(TestImages.realJpeg(), 0, 270), RejectReason.CORRUPT_JPEG);
    }

    @Test
    void readsTheDeclaredSizeOfAJpegBomb() throws Exception {
        byte[] bomb = TestImages.jpegDeclaring(TestImages.realJpeg(), 65000, 65000);
        assertThat(ImageProbe.probe(bomb)).isEqualTo(new ImageInfo(Frame.JPEG, 65000, 65000));
        assertThat(ImageProbe.probe(bomb).pixels()).isEqualTo(4_225_000_000L);
    }

    @Test
    void readsTheDeclaredSizeOfAPngBomb() throws Exception {
        byte[] bomb = TestImages.pngDeclaring(TestImages.png(16, 16), 100_000, 100_000);
        assertThat(ImageProbe.probe(bomb).pixels()).isEqualTo(10_000_000_000L);
    }

    @Test
    void everyTruncationOfAPngIsTruncatedPng() {
        byte[] png = TestImages.png(200, 100);
        for (int len = 4; len < png.length; len++) {
            assertRejected(Arrays.copyOf(png, len), RejectReason.TRUNCATED_PNG);
        }
    }

    @Test
    void aPngWithoutImageDataIsCorrupt() {
        byte[] png = TestImages.png(8, 8);
        // keep signature + IHDR (8 + 25 bytes), then the 12-byte IEND from the end
        byte[] noIdat = new byte[8 + 25 + 12];
        System.arraycopy(png, 0, noIdat, 0, 33);
        System.arraycopy(png, png.length - 12, noIdat, 33, 12);
        assertRejected(noIdat, RejectReason.CORRUPT_PNG);
    }

    @Test
    void aPngWhoseFirstChunkIsNotIhdrIsCorrupt() {
        byte[] png = TestImages.png(8, 8).clone();
        png[12] = 'X';
        assertRejected(png, RejectReason.CORRUPT_PNG);
    }

    @Test
    void randomBytesAndTextAreNotAnImage() {
        assertRejected(TestImages.randomBytes(5000, 7), RejectReason.NOT_AN_IMAGE);
        assertRejected("GIF89a...".getBytes(), RejectReason.NOT_AN_IMAGE);
        assertRejected(new byte[] {(byte) 0xFF}, RejectReason.NOT_AN_IMAGE);
        assertThatThrownBy(() -> ImageProbe.probe("hello".getBytes()))
                .hasMessage(
                        "not-an-image: starts with 68656c6c6f, neither JPEG (ffd8) nor PNG (89504e47)");
    }

    private static void assertRejected(byte[] bytes, RejectReason expected) {
        assertThatThrownBy(() -> ImageProbe.probe(bytes))
                .as("%d bytes", bytes.length)
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(expected));
    }
}
