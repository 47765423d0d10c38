package io.frameflow.operators.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/**
 * Images whose header reads but whose pixels do not, for the decoders that keep their image between
 * frames: a failed decode must not hand on the previous frame's pixels.
 */
public final class BrokenImages {

    private BrokenImages() {}

    /** A PNG of a gradient, {@code w} by {@code h}. */
    public static byte[] png(int w, int h) throws IOException {
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
    public static byte[] withCorruptImageData(byte[] png) {
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
