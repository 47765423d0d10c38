package io.frameflow.records.json;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** How large a dead letter is as the broker counts it, and how to cut it to a limit. */
final class DeadLetterSize {

    /**
     * A record batch's header (61 bytes) plus the most a lone record's varints, attributes and
     * timestamp delta can take, rounded up: the broker compares the whole batch with the limit.
     */
    static final int RECORD_OVERHEAD = 61 + 64;

    /** The most one header's two length varints take. */
    static final int HEADER_OVERHEAD = 10;

    private DeadLetterSize() {}

    /** Upper bound of the bytes a batch holding only this record takes. */
    static int of(byte[] key, byte[] value, Headers headers) {
        long size = RECORD_OVERHEAD + length(key) + length(value);
        for (Header h : headers) {
            size += HEADER_OVERHEAD + h.key().length() * 4L + length(h.value());
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    static byte[] cut(byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(bytes == null ? new byte[0] : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
