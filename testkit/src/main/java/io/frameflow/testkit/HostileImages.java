package io.frameflow.testkit;

import io.frameflow.testkit.HostileCorpus.HostileRecord;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The image kinds of {@link HostileCorpus}: JPEGs broken in one precise way each, valid images of
 * unusual kinds, and images over the size limits, each with the outcome the edge must give it.
 */
final class HostileImages {

    private final HostileCorpus c;

    /** Built on first use: encoding 100 Mpx takes a while. */
    private byte[] hugeSolidJpeg;

    HostileImages(HostileCorpus corpus) {
        this.c = corpus;
    }

    // ---- broken JPEGs

    HostileRecord jpegCutInScan() {
        byte[] j = c.jpeg();
        int scan = ImageCrafting.scanDataStart(j);
        // anywhere from the first entropy-coded byte up to (excluding) the EOI
        int cut = scan + 1 + c.random().nextInt(j.length - 2 - scan - 1);
        return c.record(
                "jpeg-cut-in-scan",
                c.camera(),
                Arrays.copyOf(j, cut),
                HostileCorpus.dlq("truncated-jpeg"));
    }

    HostileRecord jpegCutInHeaders() {
        byte[] j = c.jpeg();
        int scan = ImageCrafting.scanDataStart(j);
        // keep SOI and the next marker's ff so that the bytes are still sniffed as JPEG
        int cut = 3 + c.random().nextInt(scan - 3);
        return c.record(
                "jpeg-cut-in-headers",
                c.camera(),
                Arrays.copyOf(j, cut),
                HostileCorpus.dlq("truncated-jpeg"));
    }

    HostileRecord jpegNoEoi() {
        byte[] j = c.jpeg();
        return c.record(
                "jpeg-no-eoi",
                c.camera(),
                Arrays.copyOf(j, j.length - 2),
                HostileCorpus.dlq("truncated-jpeg"));
    }

    /**
     * Bytes of the entropy-coded data changed (never into or next to an ff, so the marker structure
     * stays intact): the structure check passes it, the decoder sees garbage pixels.
     */
    HostileRecord jpegFlippedEntropy() {
        byte[] j = c.jpeg().clone();
        int scan = ImageCrafting.scanDataStart(j);
        int flips = 1 + c.random().nextInt(16);
        for (int n = 0; n < flips; ) {
            int at = scan + 1 + c.random().nextInt(j.length - 3 - scan - 1);
            if ((j[at] & 0xFF) == 0xFF || (j[at - 1] & 0xFF) == 0xFF) {
                continue;
            }
            int flipped = (j[at] & 0xFF) ^ (1 + c.random().nextInt(255));
            if (flipped == 0xFF) {
                continue;
            }
            j[at] = (byte) flipped;
            n++;
        }
        return c.record("jpeg-flipped-entropy", c.camera(), j, HostileCorpus.FRAME);
    }

    HostileRecord jpegNoSof() {
        byte[] j = c.jpeg();
        int sof = ImageCrafting.segmentStart(j, 0xC0, 0xC2);
        int len = ImageCrafting.u16(j, sof + 2) + 2;
        byte[] out = new byte[j.length - len];
        System.arraycopy(j, 0, out, 0, sof);
        System.arraycopy(j, sof + len, out, sof, j.length - sof - len);
        return c.record("jpeg-no-sof", c.camera(), out, HostileCorpus.dlq("corrupt-jpeg"));
    }

    /** A small real JPEG whose frame header declares a size over the pixel limit. */
    HostileRecord jpegBomb() {
        int w;
        int h;
        do {
            w = 1 + c.random().nextInt(65535);
            h = 1 + c.random().nextInt(65535);
        } while ((long) w * h <= HostileCorpus.MAX_PIXELS);
        return c.record(
                "jpeg-bomb",
                c.camera(),
                ImageCrafting.jpegDeclaring(c.jpeg(), w, h),
                HostileCorpus.dlq("image-too-large"));
    }

    HostileRecord jpegZeroSize() {
        boolean zeroWidth = c.random().nextBoolean();
        byte[] j = ImageCrafting.jpegDeclaring(c.jpeg(), zeroWidth ? 0 : 480, zeroWidth ? 270 : 0);
        return c.record("jpeg-zero-size", c.camera(), j, HostileCorpus.dlq("corrupt-jpeg"));
    }

    // ---- valid images of unusual kinds

    HostileRecord png() {
        return c.record(
                "png",
                c.camera(),
                ImageCrafting.gradientPng(
                        c.random(), 8 + c.random().nextInt(200), 8 + c.random().nextInt(200)),
                HostileCorpus.FRAME);
    }

    HostileRecord pngTruncated() {
        byte[] p = ImageCrafting.gradientPng(c.random(), 40, 30);
        int cut = 9 + c.random().nextInt(p.length - 9 - 12);
        return c.record(
                "png-truncated",
                c.camera(),
                Arrays.copyOf(p, cut),
                HostileCorpus.dlq("truncated-png"));
    }

    HostileRecord pngBomb() {
        byte[] p = ImageCrafting.gradientPng(c.random(), 40, 30).clone();
        // IHDR data starts at 16: width, height (big-endian)
        ImageCrafting.putU32(p, 16, 50_000 + c.random().nextInt(10_000));
        ImageCrafting.putU32(p, 20, 50_000 + c.random().nextInt(10_000));
        return c.record("png-bomb", c.camera(), p, HostileCorpus.dlq("image-too-large"));
    }

    HostileRecord grayJpeg() {
        byte[] j =
                ImageCrafting.encode(
                        ImageCrafting.gradient(
                                c.random(),
                                16 + c.random().nextInt(400),
                                16 + c.random().nextInt(300),
                                BufferedImage.TYPE_BYTE_GRAY),
                        "jpeg");
        return c.record("gray-jpeg", c.camera(), j, HostileCorpus.FRAME);
    }

    HostileRecord cmykJpeg() {
        return c.record(
                "cmyk-jpeg",
                c.camera(),
                ImageCrafting.cmyk(
                        c.random(), 16 + c.random().nextInt(200), 16 + c.random().nextInt(200)),
                HostileCorpus.FRAME);
    }

    HostileRecord onePixel(String format) {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(0, 0, c.random().nextInt(0x1000000));
        return c.record(
                "one-pixel-" + format,
                c.camera(),
                ImageCrafting.encode(img, format),
                HostileCorpus.FRAME);
    }

    /** A real 10000x10000 JPEG (one flat grey, about 1 MB): over the 40 Mpx limit. */
    HostileRecord huge() {
        if (hugeSolidJpeg == null) {
            BufferedImage img = new BufferedImage(10_000, 10_000, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(90, 90, 90));
            g.fillRect(0, 0, 10_000, 10_000);
            g.dispose();
            hugeSolidJpeg = ImageCrafting.encode(img, "jpeg");
        }
        return c.record(
                "jpeg-10000x10000",
                c.camera(),
                hugeSolidJpeg,
                HostileCorpus.dlq("image-too-large"));
    }

    /** A real JPEG padded past the 8 MiB frame limit, still under the broker's 16 MiB. */
    HostileRecord oversized() {
        byte[] v =
                Arrays.copyOf(
                        c.jpeg(),
                        HostileCorpus.MAX_FRAME_BYTES + 1 + c.random().nextInt(1024 * 1024));
        return c.record("oversized-value", c.camera(), v, HostileCorpus.dlq("oversized-value"));
    }

    /** Over the embedded broker's 16 MiB message.max.bytes. */
    HostileRecord overBrokerLimit() {
        byte[] v = Arrays.copyOf(c.jpeg(), EmbeddedKafkaBroker.MAX_MESSAGE_BYTES + 1024);
        return c.record("over-broker-limit", c.camera(), v, HostileCorpus.REJECTED_BY_BROKER);
    }
}
