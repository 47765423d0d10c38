package io.frameflow.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.testkit.SharedResources;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    @Test
    void reductionKeepsTheDecodedImageAtLeastAsLargeAsNeeded() {
        assertThat(ImageDecoder.reductionFor(1280, 720, 416, 234)).isEqualTo(2);
        assertThat(ImageDecoder.reductionFor(4000, 3000, 416, 312)).isEqualTo(8);
        assertThat(ImageDecoder.reductionFor(480, 270, 416, 234)).isEqualTo(1);
        assertThat(ImageDecoder.reductionFor(810, 1080, 312, 416)).isEqualTo(2);
    }

    @Test
    void largeJpegIsDecodedReducedWithTheOriginalSizeReported() throws Exception {
        byte[] zidane = Files.readAllBytes(SharedResources.media("images/zidane.jpg"));
        try (ImageDecoder decoder = new ImageDecoder()) {
            ImageDecoder.Decoded d = decoder.decode(zidane, 416, 234);
            assertThat(d.reduction()).isEqualTo(2);
            assertThat(d.originalWidth()).isEqualTo(1280);
            assertThat(d.originalHeight()).isEqualTo(720);
            assertThat(d.image().cols()).isEqualTo(640);
            assertThat(d.image().rows()).isEqualTo(360);
            ImageDecoder.Decoded full = decoder.decode(zidane, 1280, 720);
            assertThat(full.reduction()).isEqualTo(1);
            assertThat(full.image().cols()).isEqualTo(1280);
        }
    }

    @Test
    void garbageIsUndecodable() {
        try (ImageDecoder decoder = new ImageDecoder()) {
            assertThatThrownBy(() -> decoder.decode(new byte[0], 1, 1))
                    .isInstanceOf(UndecodableImageException.class)
                    .hasMessage("undecodable-image: empty payload");
            assertThatThrownBy(() -> decoder.decode("hello world".getBytes(), 1, 1))
                    .hasMessageStartingWith("undecodable-image: not a JPEG/PNG image")
                    .hasMessageContaining("68656c6c");
        }
    }

    @Test
    void aFrameWhosePixelsDoNotDecodeIsRefusedNotGivenThePreviousPixels() throws Exception {
        byte[] good = png(64, 48);
        byte[] broken = withCorruptImageData(good);
        try (ImageDecoder decoder = new ImageDecoder()) {
            // same size as the frame before: the decoder reuses its image buffer for it
            assertThat(decoder.decode(good, 64, 48).image().cols()).isEqualTo(64);
            assertThatThrownBy(() -> decoder.decode(broken, 64, 48))
                    .isInstanceOf(UndecodableImageException.class)
                    .hasMessageContaining("PNG of 64x48")
                    .hasMessageContaining("corrupt data");
            assertThat(decoder.decode(good, 64, 48).image().rows()).isEqualTo(48);
        }
    }

    private static byte[] png(int w, int h) throws Exception {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | (x + y));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** The IDAT chunk's compressed bytes inverted: the header still reads, the pixels do not. */
    private static byte[] withCorruptImageData(byte[] png) {
        byte[] out = png.clone();
        String text = new String(out, StandardCharsets.ISO_8859_1);
        int idat = text.indexOf("IDAT");
        assertThat(idat).isPositive();
        int length =
                (out[idat - 4] & 0xff) << 24
                        | (out[idat - 3] & 0xff) << 16
                        | (out[idat - 2] & 0xff) << 8
                        | (out[idat - 1] & 0xff);
        for (int i = idat + 4; i < idat + 4 + length; i++) {
            out[i] = (byte) ~out[i];
        }
        return out;
    }
}
