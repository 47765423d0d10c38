package io.frameflow.operators.decode;

/**
 * Width and height read from a JPEG SOF or PNG IHDR header without decoding pixels, so the decoder
 * can pick a reduced JPEG scale before decoding.
 */
public record ImageHeader(boolean jpeg, int width, int height) {

    /** The header, or null when the bytes are not a JPEG/PNG whose size can be read. */
    public static ImageHeader read(byte[] b) {
        if (b == null || b.length < 24) {
            return null;
        }
        if ((b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            int w = readInt(b, 16);
            int h = readInt(b, 20);
            return w > 0 && h > 0 ? new ImageHeader(false, w, h) : null;
        }
        if ((b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            return null;
        }
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                i += 2;
                continue;
            }
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            boolean sof =
                    marker >= 0xC0
                            && marker <= 0xCF
                            && marker != 0xC4
                            && marker != 0xC8
                            && marker != 0xCC;
            if (sof) {
                int h = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                int w = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
                return w > 0 && h > 0 ? new ImageHeader(true, w, h) : null;
            }
            if (len < 2) {
                return null;
            }
            i += 2 + len;
        }
        return null;
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24)
                | ((b[off + 1] & 0xff) << 16)
                | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff);
    }
}
