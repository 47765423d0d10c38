package io.frameflow.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedResources;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Real and deliberately broken image bytes for the validator and the pass-through test. */
public final class TestImages {

    private TestImages() {}

    /** A real 480x270 frame from media/frames/classroom. */
    public static byte[] realJpeg() {
        return SharedFrames.load().stream()
                .filter(f -> f.camera().equals("classroom"))
                .findFirst()
                .orElseThrow()
                .jpeg();
    }

    /** A real photo from media/images. */
    public static byte[] image(String name) {
        try {
            return Files.readAllBytes(SharedResources.media("images/" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real PNG written by javax.imageio. */
    public static byte[] png(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(img, "png", out)).isTrue();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Offset of the baseline frame header marker (ff c0) of a JPEG. */
    public static int sofOffset(byte[] jpeg) {
        return markerOffset(jpeg, 0xC0);
    }

    /** Offset of the first ff xx byte pair (the real marker in the header-only test images). */
    public static int markerOffset(byte[] jpeg, int marker) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new IllegalArgumentException(String.format("no ff%02x marker", marker));
    }

    /** The JPEG with its frame header claiming {@code width x height} ("JPEG bomb"). */
    public static byte[] jpegDeclaring(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        int sof = sofOffset(b);
        // ff c0, length(2), precision(1), height(2), width(2)
        b[sof + 5] = (byte) (height >> 8);
        b[sof + 6] = (byte) height;
        b[sof + 7] = (byte) (width >> 8);
        b[sof + 8] = (byte) width;
        return b;
    }

    /** The JPEG with its frame header (SOF) segment removed. */
    public static byte[] jpegWithoutSof(byte[] jpeg) {
        int sof = sofOffset(jpeg);
        int length = ((jpeg[sof + 2] & 0xFF) << 8) | (jpeg[sof + 3] & 0xFF);
        byte[] out = new byte[jpeg.length - 2 - length];
        System.arraycopy(jpeg, 0, out, 0, sof);
        System.arraycopy(jpeg, sof + 2 + length, out, sof, jpeg.length - sof - 2 - length);
        return out;
    }

    /** The PNG with its IHDR claiming {@code width x height} (CRC left stale; not checked). */
    public static byte[] pngDeclaring(byte[] png, int width, int height) {
        byte[] b = png.clone();
        // signature(8), length(4), "IHDR"(4), width(4), height(4)
        putInt(b, 16, width);
        putInt(b, 20, height);
        return b;
    }

    public static byte[] truncated(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }

    /** Seeded random bytes that start with neither image signature. */
    public static byte[] randomBytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        b[0] = 0x42;
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
