package io.frameflow.records.wire;

import io.frameflow.records.Frame;

/**
 * What the cheap header probe learned about an encoded image without decoding its pixels.
 *
 * @param contentType {@code image/jpeg} or {@code image/png}
 * @param width declared width in pixels
 * @param height declared height in pixels
 */
public record ImageInfo(String contentType, long width, long height) {

    public boolean jpeg() {
        return Frame.JPEG.equals(contentType);
    }

    public long pixels() {
        return width * height;
    }
}
