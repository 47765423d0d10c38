package io.frameflow.records.wire;

/**
 * The Kafka wire format of FrameFlow, in one place: topic names (defaults; the job's options can
 * change them), header names and limits. README.md documents each topic with an example record.
 */
public final class FrameWire {

    private FrameWire() {}

    /** Input: key = camera id (UTF-8), value = JPEG/PNG bytes, timestamp = capture time (ms). */
    public static final String TOPIC_FRAMES = "frames";

    /** JPEG with boxes drawn; same key and timestamp as the input; headers seq and model. */
    public static final String TOPIC_ANNOTATED = "frames.annotated";

    /** One JSON object per frame. */
    public static final String TOPIC_DETECTIONS = "frames.detections";

    /** One JSON object per camera window. */
    public static final String TOPIC_STATS = "frames.stats";

    /** Line, zone and loiter events of tracked objects (docs/events.md); key = camera id. */
    public static final String TOPIC_EVENTS = "frames.events";

    /** Per site and window: its cameras' line counts and zone occupancy; key = site. */
    public static final String TOPIC_SITES = "frames.sites";

    /** Original key and bytes of records that could not be processed, with the reason. */
    public static final String TOPIC_DLQ = "frames.dlq";

    /** Compacted; key = camera id or {@code *}, value = settings JSON (docs/camera-settings.md). */
    public static final String TOPIC_CONFIG = "frames.config";

    /**
     * Compacted; key = a person's name, value = a JPEG photo of them (docs/faces.md), no value =
     * forget them.
     */
    public static final String TOPIC_FACES = "frames.faces";

    /** Frame sequence number per camera, decimal UTF-8. */
    /** The longest camera id (the key of {@code frames}), in characters. */
    public static final int MAX_CAMERA_ID_LENGTH = 128;

    /**
     * A camera id: 1 to {@link #MAX_CAMERA_ID_LENGTH} characters, starting with a letter or digit
     * (any script), then letters, digits, space and {@code . _ - : @ +}. Ids become metric labels,
     * file names of recordings and URL path segments, so control characters, quotes and the like
     * are refused.
     */
    public static final java.util.regex.Pattern CAMERA_ID =
            java.util.regex.Pattern.compile(
                    "[\\p{L}\\p{N}][\\p{L}\\p{N} ._\\-:@+]{0," + (MAX_CAMERA_ID_LENGTH - 1) + "}");

    public static final String HEADER_SEQ = "seq";

    /** MIME type of the value, e.g. image/jpeg. */
    public static final String HEADER_CONTENT_TYPE = "content-type";

    /** Model that produced an annotated frame. */
    public static final String HEADER_MODEL = "model";

    /** Dead letters: why the record was rejected. */
    public static final String HEADER_ERROR = "error";

    /** Dead letters: where the original record came from. */
    public static final String HEADER_SOURCE_TOPIC = "source-topic";

    public static final String HEADER_SOURCE_PARTITION = "source-partition";
    public static final String HEADER_SOURCE_OFFSET = "source-offset";

    /** Dead letters cut to fit the DLQ topic: the size of the original value, in bytes. */
    public static final String HEADER_ORIGINAL_SIZE = "original-size";

    /** Dead letters cut to fit the DLQ topic: SHA-256 of the original value, hex. */
    public static final String HEADER_SHA256 = "sha256";

    /** {@code true} on a dead letter whose value (and perhaps key) was cut to fit the DLQ topic. */
    public static final String HEADER_TRUNCATED = "truncated";

    /** Kafka's stock {@code message.max.bytes} (a topic's {@code max.message.bytes} default). */
    public static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    /** Default limit on an input frame's size; larger values are dead-lettered. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;

    /**
     * Default limit on a frame's declared width x height (40 Mpx, above 8K UHD); larger frames are
     * dead-lettered before a decoder allocates memory for them.
     */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    /**
     * Default limit on how far a record timestamp may lie ahead of the validator's wall clock (5
     * min): a camera with a clock hours ahead would otherwise push its partition's watermark
     * forward and make every other camera's frames in that partition late. Kafka itself refuses
     * timestamps more than {@code log.message.timestamp.after.max.ms} (1 h by default) ahead.
     */
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60 * 1000L;

    /**
     * Record timestamps before 2000-01-01T00:00:00Z are refused: such a capture time comes from a
     * camera whose clock was never set (0, or 1970 after a boot without RTC or NTP).
     */
    public static final long MIN_TIMESTAMP_MS = 946_684_800_000L;

    /**
     * Largest record FrameFlow's producers send (max.request.size): an 8 MiB frame, its dead letter
     * or its annotated copy, plus headers, with room to spare. The topics' max.message.bytes must
     * be at least this when frames get that large.
     */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
}
