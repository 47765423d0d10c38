package io.frameflow.connectors.source;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import io.frameflow.records.wire.ImageRejectedException;
import io.frameflow.records.wire.RejectReason;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns every record of the {@code frames} topic into a {@link Frame} or a {@link DeadLetter} with
 * a specific reason, never throwing. Checks run cheapest first: key, value size, timestamp,
 * headers, then the image structure and declared size ({@link ImageProbe}, no pixel decode).
 *
 * <p>Timestamp rules: negative, before 2000-01-01 ({@link FrameWire#MIN_TIMESTAMP_MS}: an unset
 * camera clock) or more than the allowed skew ahead of the wall clock ({@link
 * FrameWire#DEFAULT_MAX_FUTURE_SKEW_MS} by default) is {@code bad-timestamp}; see
 * docs/reliability.md.
 *
 * <p>Header rules: {@code seq}, when present, must be a non-negative decimal integer, else the
 * record is rejected as {@code bad-header} (a producer that garbles sequence numbers corrupts
 * dropped-frame accounting, and the dead letter keeps the bytes for a replay). {@code
 * content-type}, when it names JPEG or PNG, must agree with the bytes; other values are ignored,
 * because the type is always sniffed from the bytes.
 */
public final class FrameValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int maxFrameBytes;
    private final long maxPixels;
    private final long maxFutureSkewMs;
    private final Clock clock;

    public FrameValidator(int maxFrameBytes, long maxPixels) {
        this(maxFrameBytes, maxPixels, FrameWire.DEFAULT_MAX_FUTURE_SKEW_MS);
    }

    /**
     * @param maxFutureSkewMs records stamped more than this ahead of the wall clock are
     *     dead-lettered ({@code bad-timestamp})
     */
    public FrameValidator(int maxFrameBytes, long maxPixels, long maxFutureSkewMs) {
        this(maxFrameBytes, maxPixels, maxFutureSkewMs, Clock.systemUTC());
    }

    FrameValidator(int maxFrameBytes, long maxPixels, long maxFutureSkewMs, Clock clock) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException(
                    "max frame bytes must be positive, got " + maxFrameBytes);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("max pixels must be positive, got " + maxPixels);
        }
        if (maxFutureSkewMs < 0) {
            throw new IllegalArgumentException(
                    "max future skew must be >= 0 ms, got " + maxFutureSkewMs);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.maxPixels = maxPixels;
        this.maxFutureSkewMs = maxFutureSkewMs;
        this.clock = clock;
    }

    /** With {@link FrameWire#DEFAULT_MAX_FRAME_BYTES} and {@link FrameWire#DEFAULT_MAX_PIXELS}. */
    public FrameValidator() {
        this(FrameWire.DEFAULT_MAX_FRAME_BYTES, FrameWire.DEFAULT_MAX_PIXELS);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public long maxFutureSkewMs() {
        return maxFutureSkewMs;
    }

    public ValidatedRecord validate(ConsumerRecord<byte[], byte[]> record) {
        try {
            return check(record);
        } catch (RuntimeException e) {
            // A bug here must not fail the job or lose the record.
            return reject(record, RejectReason.VALIDATION_ERROR, e.toString());
        }
    }

    private ValidatedRecord check(ConsumerRecord<byte[], byte[]> record) {
        byte[] key = record.key();
        byte[] value = record.value();
        if (key == null || key.length == 0) {
            return reject(record, RejectReason.MISSING_KEY, null);
        }
        String camera = decodeUtf8(key);
        if (camera == null) {
            return reject(record, RejectReason.BAD_KEY, "not valid UTF-8");
        }
        if (camera.isBlank()) {
            return reject(record, RejectReason.BAD_KEY, "only whitespace");
        }
        if (!FrameWire.CAMERA_ID.matcher(camera).matches()) {
            return reject(record, RejectReason.BAD_CAMERA_ID, badCameraId(camera));
        }
        if (value == null || value.length == 0) {
            return reject(record, RejectReason.EMPTY_VALUE, null);
        }
        if (value.length > maxFrameBytes) {
            return reject(
                    record,
                    RejectReason.OVERSIZED_VALUE,
                    value.length + " bytes > limit " + maxFrameBytes);
        }
        long ts = record.timestamp();
        if (ts < 0) {
            return reject(record, RejectReason.BAD_TIMESTAMP, "timestamp " + ts);
        }
        if (ts < FrameWire.MIN_TIMESTAMP_MS) {
            return reject(
                    record,
                    RejectReason.BAD_TIMESTAMP,
                    "timestamp " + ts + " is before 2000-01-01: the camera clock is not set");
        }
        long ahead = ts - clock.millis();
        if (ahead > maxFutureSkewMs) {
            // Accepting it would advance the partition's watermark and make the frames of every
            // other camera in that partition late.
            return reject(
                    record,
                    RejectReason.BAD_TIMESTAMP,
                    "timestamp "
                            + ts
                            + " is "
                            + ahead
                            + " ms ahead of the wall clock (limit "
                            + maxFutureSkewMs
                            + " ms)");
        }
        long seq = Frame.NO_SEQ;
        String seqText = headerText(record.headers(), FrameWire.HEADER_SEQ);
        if (seqText != null) {
            seq = parseSeq(seqText);
            if (seq < 0) {
                return reject(
                        record,
                        RejectReason.BAD_HEADER,
                        FrameWire.HEADER_SEQ
                                + " '"
                                + abbreviate(seqText)
                                + "' is not a decimal >= 0");
            }
        }
        ImageInfo info;
        try {
            info = ImageProbe.probe(value);
        } catch (ImageRejectedException e) {
            return reject(record, e.reason(), e.detail());
        }
        if (info.pixels() > maxPixels) {
            return reject(
                    record,
                    RejectReason.IMAGE_TOO_LARGE,
                    info.width()
                            + "x"
                            + info.height()
                            + " = "
                            + info.pixels()
                            + " pixels > limit "
                            + maxPixels);
        }
        String declared = headerText(record.headers(), FrameWire.HEADER_CONTENT_TYPE);
        String declaredImage = normalizedImageType(declared);
        if (declaredImage != null && !declaredImage.equals(info.contentType())) {
            return reject(
                    record,
                    RejectReason.BAD_HEADER,
                    FrameWire.HEADER_CONTENT_TYPE
                            + " '"
                            + abbreviate(declared)
                            + "' but the bytes are "
                            + info.contentType());
        }
        return ValidatedRecord.ofFrame(
                new Frame(
                        camera,
                        seq,
                        record.timestamp(),
                        info.contentType(),
                        value,
                        record.topic(),
                        record.partition(),
                        record.offset()));
    }

    private static ValidatedRecord reject(
            ConsumerRecord<byte[], byte[]> record, RejectReason reason, String detail) {
        return ValidatedRecord.ofDeadLetter(
                new DeadLetter(
                        record.key(),
                        record.value(),
                        record.timestamp(),
                        reason.withDetail(detail),
                        record.topic(),
                        record.partition(),
                        record.offset()));
    }

    /** The last value of a header as UTF-8 text, or null when absent. */
    static String headerText(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return null;
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A non-negative decimal, or -1 when the text is not one. */
    private static long parseSeq(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 19) {
            return -1;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** image/jpeg or image/png for headers that name them (with aliases), else null. */
    private static String normalizedImageType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String t = contentType.trim().toLowerCase(Locale.ROOT);
        int semicolon = t.indexOf(';');
        if (semicolon >= 0) {
            t = t.substring(0, semicolon).trim();
        }
        return switch (t) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> Frame.JPEG;
            case "image/png", "image/x-png" -> Frame.PNG;
            default -> null;
        };
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** Why {@code camera} is no camera id, without echoing a long or hostile key in full. */
    private static String badCameraId(String camera) {
        if (camera.length() > FrameWire.MAX_CAMERA_ID_LENGTH) {
            return camera.length()
                    + " characters > "
                    + FrameWire.MAX_CAMERA_ID_LENGTH
                    + " (a camera id is a short name)";
        }
        return "'"
                + camera.codePoints()
                        .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                        .collect(
                                StringBuilder::new,
                                StringBuilder::appendCodePoint,
                                StringBuilder::append)
                + "': use letters, digits, space and . _ - : @ / +, starting with a letter or digit";
    }
}
