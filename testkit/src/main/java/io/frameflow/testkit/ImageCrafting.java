package io.frameflow.testkit;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The byte-level image work behind {@link HostileCorpus}: real images to start from, and JPEG
 * marker surgery (find a segment, make a frame header declare another size) to break them in one
 * precise way each.
 */
final class ImageCrafting {

    private ImageCrafting() {}

    static BufferedImage gradient(Random random, int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        int phase = random.nextInt(256);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 255 / Math.max(1, w - 1) + phase) & 0xFF;
                int u = (y * 255 / Math.max(1, h - 1)) & 0xFF;
                img.setRGB(x, y, (v << 16) | (u << 8) | ((v + u) & 0xFF));
            }
        }
        return img;
    }

    /** A colour gradient of w x h as a PNG (a real, valid image with content). */
    static byte[] gradientPng(Random random, int w, int h) {
        return encode(gradient(random, w, h, BufferedImage.TYPE_3BYTE_BGR), "png");
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A baseline JPEG with four components and no Adobe marker, which libjpeg (and so OpenCV) reads
     * as CMYK. ImageIO writes one from a four-band raster.
     */
    static byte[] cmyk(Random random, int w, int h) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        int phase = random.nextInt(256);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, (x * 3 + phase) & 0xFF);
                raster.setSample(x, y, 1, (y * 3) & 0xFF);
                raster.setSample(x, y, 2, (x + y) & 0xFF);
                raster.setSample(x, y, 3, 40);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] j = out.toByteArray();
        int sof = segmentStart(j, 0xC0, 0xC2);
        if ((j[sof + 9] & 0xFF) != 4) {
            throw new IllegalStateException("ImageIO did not write a 4-component JPEG");
        }
        return j;
    }

    /** Offset of the first entropy-coded byte (right after the first SOS header). */
    static int scanDataStart(byte[] j) {
        int sos = segmentStart(j, 0xDA, 0xDA);
        return sos + 2 + u16(j, sos + 2);
    }

    /** Offset of the ff of the first marker segment in [from, to] before the scan. */
    static int segmentStart(byte[] j, int from, int to) {
        int pos = 2;
        while (pos + 4 <= j.length) {
            if ((j[pos] & 0xFF) != 0xFF) {
                throw new IllegalArgumentException("not a marker at " + pos);
            }
            int marker = j[pos + 1] & 0xFF;
            if (marker >= from && marker <= to) {
                return pos;
            }
            if (marker == 0xDA) {
                break;
            }
            pos += 2 + u16(j, pos + 2);
        }
        throw new IllegalArgumentException(
                String.format("no marker ff%02x..ff%02x before the scan", from, to));
    }

    /** A copy whose frame header (SOF) declares width x height. */
    static byte[] jpegDeclaring(byte[] j, int width, int height) {
        byte[] out = j.clone();
        int sof = segmentStart(out, 0xC0, 0xC2);
        out[sof + 5] = (byte) (height >> 8);
        out[sof + 6] = (byte) height;
        out[sof + 7] = (byte) (width >> 8);
        out[sof + 8] = (byte) width;
        return out;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
