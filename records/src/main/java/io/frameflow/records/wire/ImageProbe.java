package io.frameflow.records.wire;

import io.frameflow.records.Frame;

/**
 * Checks that bytes are a structurally complete JPEG or PNG and reads the declared size, by walking
 * markers and chunks only: no pixel is decoded, so it costs one linear pass and no allocation. It
 * catches what a decoder would choke on at the source (truncation, random bytes, missing headers)
 * and the declared size that would make a decoder allocate gigabytes (a "JPEG bomb").
 */
public final class ImageProbe {

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'
    };

    private ImageProbe() {}

    /** JPEG and PNG by their signature; null when neither. */
    public static String sniffContentType(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return Frame.JPEG;
        }
        if (b.length >= 4 && startsWith(b, PNG_SIGNATURE, 4)) {
            return Frame.PNG;
        }
        return null;
    }

    /**
     * The format and declared size of {@code b}, or the specific reason it is not a usable image:
     * the whole structure is walked, up to the JPEG EOI or the PNG IEND.
     */
    public static ImageInfo probe(byte[] b) throws ImageRejectedException {
        return read(b, false);
    }

    /**
     * The format and declared size from the first frame header (JPEG SOF, PNG IHDR) alone, or null
     * when the bytes do not get that far: the cheap read a decoder needs to pick a reduced scale,
     * for bytes the edge validator has already {@linkplain #probe probed}.
     */
    public static ImageInfo header(byte[] b) {
        try {
            return b == null ? null : read(b, true);
        } catch (ImageRejectedException e) {
            return null;
        }
    }

    private static ImageInfo read(byte[] b, boolean headerOnly) throws ImageRejectedException {
        String type = sniffContentType(b);
        if (Frame.JPEG.equals(type)) {
            return probeJpeg(b, headerOnly);
        }
        if (Frame.PNG.equals(type)) {
            return probePng(b, headerOnly);
        }
        throw new ImageRejectedException(
                RejectReason.NOT_AN_IMAGE,
                "starts with " + hexPrefix(b, 8) + ", neither JPEG (ffd8) nor PNG (89504e47)");
    }

    // ---- JPEG: SOI, then marker segments up to the first scan, entropy-coded data, ..., EOI.

    private static ImageInfo probeJpeg(byte[] b, boolean headerOnly) throws ImageRejectedException {
        final int n = b.length;
        int pos = 2; // after SOI
        long width = -1;
        long height = -1;
        boolean sawScan = false;
        while (true) {
            if (pos >= n) {
                throw truncatedJpeg("no EOI marker (ends after " + n + " bytes)");
            }
            if ((b[pos] & 0xFF) != 0xFF) {
                throw corruptJpeg(
                        String.format("expected a marker at byte %d, found 0x%02x", pos, b[pos]));
            }
            while (pos < n && (b[pos] & 0xFF) == 0xFF) {
                pos++; // a marker may be preceded by any number of 0xff fill bytes
            }
            if (pos >= n) {
                throw truncatedJpeg("ends inside a marker at byte " + (n - 1));
            }
            int marker = b[pos++] & 0xFF;
            if (marker == 0xD9) { // EOI; bytes after it (camera padding) are tolerated
                break;
            }
            if (marker == 0xD8 || marker == 0x00) {
                throw corruptJpeg(
                        String.format("unexpected marker ff%02x at byte %d", marker, pos - 2));
            }
            if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                continue; // RSTn and TEM stand alone, no length
            }
            if (pos + 2 > n) {
                throw truncatedJpeg(String.format("ends in the length of segment ff%02x", marker));
            }
            int length = u16(b, pos);
            if (length < 2) {
                throw corruptJpeg(
                        String.format(
                                "segment ff%02x at byte %d has length %d",
                                marker, pos - 2, length));
            }
            int segmentEnd = pos + length;
            if (segmentEnd > n) {
                throw truncatedJpeg(
                        String.format(
                                "segment ff%02x at byte %d needs %d bytes, %d left",
                                marker, pos - 2, length, n - pos));
            }
            if (isStartOfFrame(marker)) {
                if (length < 8) {
                    throw corruptJpeg("frame header (SOF) of " + length + " bytes");
                }
                height = u16(b, pos + 3);
                width = u16(b, pos + 5);
                if (width == 0 || height == 0) {
                    throw corruptJpeg(
                            "frame header declares "
                                    + width
                                    + "x"
                                    + height
                                    + " (DNL not supported)");
                }
                if (headerOnly) {
                    return new ImageInfo(Frame.JPEG, width, height);
                }
            }
            pos = segmentEnd;
            if (marker == 0xDA) { // SOS: entropy-coded data follows, up to the next real marker
                if (width < 0) {
                    throw corruptJpeg("scan (SOS) before any frame header (SOF)");
                }
                pos = skipEntropyCodedData(b, pos);
                sawScan = true;
            }
        }
        if (width < 0) {
            throw corruptJpeg("no frame header (SOF) before EOI");
        }
        if (!sawScan) {
            throw corruptJpeg("no scan (SOS) before EOI: headers only, no image data");
        }
        return new ImageInfo(Frame.JPEG, width, height);
    }

    /** Index of the 0xff of the first marker after entropy-coded data starting at {@code pos}. */
    private static int skipEntropyCodedData(byte[] b, int pos) throws ImageRejectedException {
        final int n = b.length;
        while (true) {
            if (pos >= n) {
                throw truncatedJpeg("no EOI marker: ends inside the scan data");
            }
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            if (pos + 1 >= n) {
                throw truncatedJpeg("no EOI marker: ends inside the scan data");
            }
            int next = b[pos + 1] & 0xFF;
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2; // stuffed 0xff byte or restart marker: still scan data
            } else if (next == 0xFF) {
                pos++; // fill byte
            } else {
                return pos;
            }
        }
    }

    private static boolean isStartOfFrame(int marker) {
        // SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc)
        return marker >= 0xC0
                && marker <= 0xCF
                && marker != 0xC4
                && marker != 0xC8
                && marker != 0xCC;
    }

    private static ImageRejectedException truncatedJpeg(String detail) {
        return new ImageRejectedException(RejectReason.TRUNCATED_JPEG, detail);
    }

    private static ImageRejectedException corruptJpeg(String detail) {
        return new ImageRejectedException(RejectReason.CORRUPT_JPEG, detail);
    }

    // ---- PNG: signature, IHDR first, chunks (length, type, data, crc), IEND.

    private static ImageInfo probePng(byte[] b, boolean headerOnly) throws ImageRejectedException {
        final int n = b.length;
        if (n < PNG_SIGNATURE.length) {
            throw truncatedPng("ends inside the signature (" + n + " bytes)");
        }
        if (!startsWith(b, PNG_SIGNATURE, PNG_SIGNATURE.length)) {
            throw corruptPng("signature damaged (line-ending conversion?)");
        }
        long pos = PNG_SIGNATURE.length;
        long width = -1;
        long height = -1;
        boolean sawImageData = false;
        while (true) {
            if (pos + 8 > n) {
                throw truncatedPng("no IEND chunk (ends after " + n + " bytes)");
            }
            long length = u32(b, (int) pos);
            String type = chunkType(b, (int) pos + 4);
            if (length > Integer.MAX_VALUE) {
                throw corruptPng("chunk " + type + " declares " + length + " bytes");
            }
            long chunkEnd = pos + 12 + length; // length + type + data + crc
            if (chunkEnd > n) {
                throw truncatedPng(
                        "chunk "
                                + type
                                + " at byte "
                                + pos
                                + " needs "
                                + (12 + length)
                                + " bytes, "
                                + (n - pos)
                                + " left");
            }
            if (width < 0) {
                if (!"IHDR".equals(type) || length < 13) {
                    throw corruptPng("first chunk is " + type + ", not IHDR");
                }
                width = u32(b, (int) pos + 8);
                height = u32(b, (int) pos + 12);
                if (width == 0 || height == 0) {
                    throw corruptPng("IHDR declares " + width + "x" + height);
                }
                if (headerOnly) {
                    return new ImageInfo(Frame.PNG, width, height);
                }
            } else if ("IDAT".equals(type)) {
                sawImageData = true;
            } else if ("IEND".equals(type)) {
                break;
            }
            pos = chunkEnd;
        }
        if (!sawImageData) {
            throw corruptPng("no IDAT chunk");
        }
        return new ImageInfo(Frame.PNG, width, height);
    }

    private static String chunkType(byte[] b, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = b[at + i] & 0xFF;
            c[i] = v >= 0x20 && v < 0x7F ? (char) v : '?';
        }
        return new String(c);
    }

    private static ImageRejectedException truncatedPng(String detail) {
        return new ImageRejectedException(RejectReason.TRUNCATED_PNG, detail);
    }

    private static ImageRejectedException corruptPng(String detail) {
        return new ImageRejectedException(RejectReason.CORRUPT_PNG, detail);
    }

    // ---- helpers

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24)
                | ((b[at + 1] & 0xFF) << 16)
                | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }

    private static boolean startsWith(byte[] b, byte[] prefix, int count) {
        if (b.length < count) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static String hexPrefix(byte[] b, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, max); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
