package io.frameflow.testkit;

import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A deterministic corpus of hostile {@code frames} records (no key, empty values, random bytes,
 * truncated and corrupt JPEGs, PNG, grayscale and CMYK JPEGs, 1x1 and 10000x10000 images, JPEG and
 * PNG bombs, oversize values, wrong timestamps, garbled, duplicated and out-of-order {@code seq})
 * mixed into the real frames of {@link SharedFrames}. Every record carries the outcome it must get,
 * so a test can reconcile exactly:
 *
 * <ul>
 *   <li>{@code frame}: the source validator must pass it on;
 *   <li>{@code dlq:<reason-code>}: it must land on the dead-letter topic with that reason;
 *   <li>{@code rejected-by-broker}: the broker refuses it on produce (record larger than {@code
 *       message.max.bytes}, timestamp beyond {@code log.message.timestamp.after.max.ms}), so no
 *       consumer ever sees it;
 *   <li>{@code rejected-by-client}: kafka-clients refuses to even build it (a negative timestamp:
 *       {@code ProducerRecord} throws), so it cannot reach a broker through the Java client.
 * </ul>
 *
 * <p>The same seed and wall-clock anchor give byte-identical records.
 */
public final class HostileCorpus {

    public static final String FRAME = "frame";
    public static final String REJECTED_BY_BROKER = "rejected-by-broker";
    public static final String REJECTED_BY_CLIENT = "rejected-by-client";

    /** Header names of the FrameFlow wire format (see docs/wire-format.md). */
    public static final String HEADER_SEQ = "seq";

    public static final String HEADER_CONTENT_TYPE = "content-type";

    /** The source's default frame size limit (8 MiB) and pixel limit (40 Mpx). */
    static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    static final long MAX_PIXELS = 40_000_000L;
    private static final long FUTURE_SKEW_MS = 5 * 60 * 1000L;
    private static final long MIN_TIMESTAMP_MS = 946_684_800_000L;

    /** The dead-letter outcome for a reason code. */
    public static String dlq(String reasonCode) {
        return "dlq:" + reasonCode;
    }

    /**
     * One record of the corpus.
     *
     * @param kind what it is (e.g. {@code jpeg-cut-in-scan}, {@code real-frame})
     * @param key null for "no key"
     * @param value null for a tombstone
     * @param timestamp record timestamp (may be negative: {@link #toProducerRecord} then throws, as
     *     Kafka does)
     * @param headers header name to UTF-8 value, in order
     * @param expected {@code frame}, {@code dlq:<code>}, {@code rejected-by-broker} or {@code
     *     rejected-by-client}
     */
    public record HostileRecord(
            String kind,
            byte[] key,
            byte[] value,
            long timestamp,
            Map<String, String> headers,
            String expected) {

        public HostileRecord {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** Throws IllegalArgumentException for a negative timestamp, as kafka-clients does. */
        public ProducerRecord<byte[], byte[]> toProducerRecord(String topic) {
            RecordHeaders h = new RecordHeaders();
            headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
            return new ProducerRecord<>(topic, null, timestamp, key, value, h);
        }

        public boolean reachesConsumers() {
            return !expected.equals(REJECTED_BY_BROKER) && !expected.equals(REJECTED_BY_CLIENT);
        }

        public String camera() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return kind
                    + "("
                    + (value == null ? "null" : value.length + " B")
                    + ", ts "
                    + timestamp
                    + ", "
                    + headers
                    + ") -> "
                    + expected;
        }
    }

    private final Random random;

    /** The image kinds: broken JPEGs, unusual valid images, size limits. */
    final HostileImages images = new HostileImages(this);

    private final List<SharedFrame> frames;
    private final long now;

    private HostileCorpus(long seed, List<SharedFrame> frames, long now) {
        this.random = new Random(seed);
        this.frames = frames;
        this.now = now;
    }

    /**
     * The real frames (in camera-interleaved order, stamped {@code now - 60 s + seq * 100 ms},
     * expected {@code frame}) with {@code hostileCount} hostile records mixed in at random places.
     */
    public static List<HostileRecord> mixedTraffic(
            long seed, List<SharedFrame> frames, long now, int hostileCount) {
        HostileCorpus corpus = new HostileCorpus(seed, frames, now);
        List<HostileRecord> hostile = corpus.hostile(hostileCount);
        List<HostileRecord> out = new ArrayList<>();
        for (SharedFrame f : SharedFrames.interleaved(frames)) {
            out.add(
                    new HostileRecord(
                            "real-frame",
                            utf8(f.camera()),
                            f.jpeg(),
                            realFrameTimestamp(now, f.seq()),
                            jpegHeaders(f.seq()),
                            FRAME));
        }
        // insert each hostile record at a random position, real frames keep their order
        for (HostileRecord h : hostile) {
            out.add(corpus.random.nextInt(out.size() + 1), h);
        }
        return out;
    }

    Random random() {
        return random;
    }

    /** The timestamp {@link #mixedTraffic} gives a real frame. */
    public static long realFrameTimestamp(long now, long seq) {
        return now - 60_000 + seq * 100;
    }

    /** A kind of hostile record: how many at most, and how to make one. */
    private record Kind(
            String name, int max, BiFunction<HostileCorpus, Integer, HostileRecord> make) {}

    private static final List<Kind> KINDS =
            List.of(
                    new Kind("no-key", 100, (c, i) -> c.noKey()),
                    new Kind("empty-key", 100, (c, i) -> c.withKey("empty-key", new byte[0])),
                    new Kind("whitespace-key", 100, (c, i) -> c.whitespaceKey()),
                    new Kind("invalid-utf8-key", 100, (c, i) -> c.invalidUtf8Key()),
                    new Kind("empty-value", 100, (c, i) -> c.emptyValue(new byte[0])),
                    new Kind("null-value", 100, (c, i) -> c.emptyValue(null)),
                    new Kind("random-bytes", 100, (c, i) -> c.randomBytes()),
                    new Kind("jpeg-cut-in-scan", 100, (c, i) -> c.images.jpegCutInScan()),
                    new Kind("jpeg-cut-in-headers", 100, (c, i) -> c.images.jpegCutInHeaders()),
                    new Kind("jpeg-no-eoi", 100, (c, i) -> c.images.jpegNoEoi()),
                    new Kind("jpeg-flipped-entropy", 100, (c, i) -> c.images.jpegFlippedEntropy()),
                    new Kind("jpeg-no-sof", 100, (c, i) -> c.images.jpegNoSof()),
                    new Kind("jpeg-bomb", 100, (c, i) -> c.images.jpegBomb()),
                    new Kind("jpeg-zero-size", 100, (c, i) -> c.images.jpegZeroSize()),
                    new Kind("png", 100, (c, i) -> c.images.png()),
                    new Kind("png-truncated", 100, (c, i) -> c.images.pngTruncated()),
                    new Kind("png-bomb", 100, (c, i) -> c.images.pngBomb()),
                    new Kind("gray-jpeg", 100, (c, i) -> c.images.grayJpeg()),
                    new Kind("cmyk-jpeg", 100, (c, i) -> c.images.cmykJpeg()),
                    new Kind("one-pixel-jpeg", 50, (c, i) -> c.images.onePixel("jpeg")),
                    new Kind("one-pixel-png", 50, (c, i) -> c.images.onePixel("png")),
                    // heavy ones: a few are enough, they cost megabytes each
                    new Kind("jpeg-10000x10000", 2, (c, i) -> c.images.huge()),
                    new Kind("oversized-value", 3, (c, i) -> c.images.oversized()),
                    new Kind("over-broker-limit", 1, (c, i) -> c.images.overBrokerLimit()),
                    new Kind("ts-zero", 100, (c, i) -> c.timestamp("ts-zero", 0)),
                    new Kind("ts-1970", 100, (c, i) -> c.ts1970()),
                    new Kind("ts-negative", 100, (c, i) -> c.tsNegative()),
                    new Kind("ts-future-within-skew", 100, (c, i) -> c.tsFutureWithinSkew()),
                    new Kind("ts-future-beyond-skew", 100, (c, i) -> c.tsFutureBeyondSkew()),
                    new Kind("ts-far-future", 100, (c, i) -> c.tsFarFuture()),
                    new Kind("seq-duplicate", 100, (c, i) -> c.seqDuplicate()),
                    new Kind("seq-out-of-order", 100, (c, i) -> c.seqOutOfOrder(i)),
                    new Kind("seq-garbled", 100, (c, i) -> c.seqGarbled()),
                    new Kind("content-type-mismatch", 100, (c, i) -> c.contentTypeMismatch()));

    /** Names of every kind the corpus makes (besides {@code real-frame}). */
    public static List<String> kinds() {
        return KINDS.stream().map(Kind::name).toList();
    }

    private List<HostileRecord> hostile(int count) {
        int capacity = KINDS.stream().mapToInt(Kind::max).sum();
        if (count < KINDS.size() || count > capacity) {
            throw new IllegalArgumentException(
                    "hostile count must be in [" + KINDS.size() + ", " + capacity + "]: " + count);
        }
        int[] made = new int[KINDS.size()];
        List<HostileRecord> out = new ArrayList<>();
        // round robin over the kinds that still have room: every kind appears
        for (int k = 0; out.size() < count; k = (k + 1) % KINDS.size()) {
            Kind kind = KINDS.get(k);
            if (made[k] < kind.max()) {
                HostileRecord r = kind.make().apply(this, made[k]++);
                if (!r.kind().equals(kind.name())) {
                    throw new IllegalStateException(kind.name() + " made " + r.kind());
                }
                out.add(r);
            }
        }
        return out;
    }

    // ---- keys and values

    private HostileRecord noKey() {
        return record("no-key", (byte[]) null, jpeg(), dlq("missing-key"));
    }

    private HostileRecord withKey(String kind, byte[] key) {
        return record(kind, key, jpeg(), dlq("missing-key"));
    }

    private HostileRecord whitespaceKey() {
        String[] blanks = {" ", "  ", "\t", "\n", " \t \r\n"};
        return record(
                "whitespace-key",
                utf8(blanks[random.nextInt(blanks.length)]),
                jpeg(),
                dlq("bad-key"));
    }

    private HostileRecord invalidUtf8Key() {
        byte[][] bad = {
            {(byte) 0xC3, 0x28},
            {(byte) 0xFF, (byte) 0xFE, 0x41},
            {0x61, (byte) 0x80},
            {(byte) 0xED}
        };
        return record("invalid-utf8-key", bad[random.nextInt(bad.length)], jpeg(), dlq("bad-key"));
    }

    private HostileRecord emptyValue(byte[] value) {
        return record(
                value == null ? "null-value" : "empty-value", camera(), value, dlq("empty-value"));
    }

    private HostileRecord randomBytes() {
        byte[] b = new byte[1 + random.nextInt(64 * 1024)];
        random.nextBytes(b);
        // neither the JPEG (ff) nor the PNG (89) signature: it must be "not an image"
        while ((b[0] & 0xFF) == 0xFF || (b[0] & 0xFF) == 0x89) {
            b[0] = (byte) random.nextInt(256);
        }
        return record("random-bytes", camera(), b, dlq("not-an-image"));
    }

    // ---- timestamps

    private HostileRecord timestamp(String kind, long ts) {
        String expected =
                ts < 0 ? REJECTED_BY_CLIENT : ts < MIN_TIMESTAMP_MS ? dlq("bad-timestamp") : FRAME;
        return new HostileRecord(kind, utf8(camera()), jpeg(), ts, jpegHeaders(null), expected);
    }

    private HostileRecord ts1970() {
        // a camera booted without RTC or NTP: seconds to days after the epoch
        return timestamp("ts-1970", 1 + (long) (random.nextDouble() * 30L * 86_400_000L));
    }

    private HostileRecord tsNegative() {
        long ts = random.nextBoolean() ? -1 : -1 - (long) (random.nextDouble() * 1e12);
        return timestamp("ts-negative", ts);
    }

    private HostileRecord tsFutureWithinSkew() {
        // up to 1 min ahead: a camera clock slightly fast is fine
        return timestamp("ts-future-within-skew", now + 1 + random.nextInt(60_000));
    }

    private HostileRecord tsFutureBeyondSkew() {
        // 15 to 45 min ahead: the broker accepts it (under 1 h), the source dead-letters it
        long ts = now + 15 * 60_000L + random.nextInt(30 * 60_000);
        return new HostileRecord(
                "ts-future-beyond-skew",
                utf8(camera()),
                jpeg(),
                ts,
                jpegHeaders(null),
                dlq("bad-timestamp"));
    }

    private HostileRecord tsFarFuture() {
        // 2 h to 10 years ahead: the broker refuses it (log.message.timestamp.after.max.ms = 1 h)
        long ts = now + 2 * 3_600_000L + (long) (random.nextDouble() * 10 * 365 * 86_400_000L);
        return new HostileRecord(
                "ts-far-future", utf8(camera()), jpeg(), ts, jpegHeaders(null), REJECTED_BY_BROKER);
    }

    // ---- seq

    /** A real frame sent again with its own camera, seq and timestamp: a retrying producer. */
    private HostileRecord seqDuplicate() {
        SharedFrame f = frames.get(random.nextInt(frames.size()));
        return new HostileRecord(
                "seq-duplicate",
                utf8(f.camera()),
                f.jpeg(),
                realFrameTimestamp(now, f.seq()),
                jpegHeaders(f.seq()),
                FRAME);
    }

    /** Descending seq numbers on one camera, interleaved with the real frames at random. */
    private HostileRecord seqOutOfOrder(int i) {
        SharedFrame f = frames.get(random.nextInt(frames.size()));
        return new HostileRecord(
                "seq-out-of-order",
                utf8("ooo-" + f.camera()),
                f.jpeg(),
                now - 30_000 + random.nextInt(20_000),
                jpegHeaders(10_000L - i),
                FRAME);
    }

    private HostileRecord seqGarbled() {
        String[] garbled = {
            "abc", "-3", "", " ", "1e5", "0x10", "12a", "99999999999999999999", "3.0", "+4", "٣"
        };
        Map<String, String> h = new LinkedHashMap<>();
        h.put(HEADER_SEQ, garbled[random.nextInt(garbled.length)]);
        return new HostileRecord(
                "seq-garbled", utf8(camera()), jpeg(), past(), h, dlq("bad-header"));
    }

    private HostileRecord contentTypeMismatch() {
        boolean jpegSaysPng = random.nextBoolean();
        Map<String, String> h = new LinkedHashMap<>();
        h.put(HEADER_CONTENT_TYPE, jpegSaysPng ? "image/png" : "image/jpeg");
        byte[] v = jpegSaysPng ? jpeg() : ImageCrafting.gradientPng(random, 20, 20);
        return new HostileRecord(
                "content-type-mismatch", utf8(camera()), v, past(), h, dlq("bad-header"));
    }

    // ---- helpers

    HostileRecord record(String kind, byte[] key, byte[] value, String expected) {
        return new HostileRecord(kind, key, value, past(), Map.of(), expected);
    }

    HostileRecord record(String kind, String camera, byte[] value, String expected) {
        return record(kind, utf8(camera), value, expected);
    }

    /** A capture time in the minute before {@code now}, like live traffic. */
    private long past() {
        return now - 1 - random.nextInt(60_000);
    }

    String camera() {
        return frames.get(random.nextInt(frames.size())).camera();
    }

    byte[] jpeg() {
        return frames.get(random.nextInt(frames.size())).jpeg();
    }

    static Map<String, String> jpegHeaders(Long seq) {
        Map<String, String> h = new LinkedHashMap<>();
        if (seq != null) {
            h.put(HEADER_SEQ, Long.toString(seq));
        }
        h.put(HEADER_CONTENT_TYPE, "image/jpeg");
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
