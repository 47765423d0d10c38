package io.frameflow.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
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
        byte[] good = BrokenImages.png(64, 48);
        byte[] broken = BrokenImages.withCorruptImageData(good);
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
}
