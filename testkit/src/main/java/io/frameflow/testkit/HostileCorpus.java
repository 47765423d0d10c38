package io.frameflow.testkit;

import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
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
    private static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

    private static final long MAX_PIXELS = 40_000_000L;
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
    private final List<SharedFrame> frames;
    private final long now;
    private byte[] hugeSolidJpeg;

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
                    new Kind("jpeg-cut-in-scan", 100, (c, i) -> c.jpegCutInScan()),
                    new Kind("jpeg-cut-in-headers", 100, (c, i) -> c.jpegCutInHeaders()),
                    new Kind("jpeg-no-eoi", 100, (c, i) -> c.jpegNoEoi()),
                    new Kind("jpeg-flipped-entropy", 100, (c, i) -> c.jpegFlippedEntropy()),
                    new Kind("jpeg-no-sof", 100, (c, i) -> c.jpegNoSof()),
                    new Kind("jpeg-bomb", 100, (c, i) -> c.jpegBomb()),
                    new Kind("jpeg-zero-size", 100, (c, i) -> c.jpegZeroSize()),
                    new Kind("png", 100, (c, i) -> c.png()),
                    new Kind("png-truncated", 100, (c, i) -> c.pngTruncated()),
                    new Kind("png-bomb", 100, (c, i) -> c.pngBomb()),
                    new Kind("gray-jpeg", 100, (c, i) -> c.grayJpeg()),
                    new Kind("cmyk-jpeg", 100, (c, i) -> c.cmykJpeg()),
                    new Kind("one-pixel-jpeg", 50, (c, i) -> c.onePixel("jpeg")),
                    new Kind("one-pixel-png", 50, (c, i) -> c.onePixel("png")),
                    // heavy ones: a few are enough, they cost megabytes each
                    new Kind("jpeg-10000x10000", 2, (c, i) -> c.huge()),
                    new Kind("oversized-value", 3, (c, i) -> c.oversized()),
                    new Kind("over-broker-limit", 1, (c, i) -> c.overBrokerLimit()),
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

    // ---- broken JPEGs

    private HostileRecord jpegCutInScan() {
        byte[] j = jpeg();
        int scan = scanDataStart(j);
        // anywhere from the first entropy-coded byte up to (excluding) the EOI
        int cut = scan + 1 + random.nextInt(j.length - 2 - scan - 1);
        return record("jpeg-cut-in-scan", camera(), Arrays.copyOf(j, cut), dlq("truncated-jpeg"));
    }

    private HostileRecord jpegCutInHeaders() {
        byte[] j = jpeg();
        int scan = scanDataStart(j);
        // keep SOI and the next marker's ff so that the bytes are still sniffed as JPEG
        int cut = 3 + random.nextInt(scan - 3);
        return record(
                "jpeg-cut-in-headers", camera(), Arrays.copyOf(j, cut), dlq("truncated-jpeg"));
    }

    private HostileRecord jpegNoEoi() {
        byte[] j = jpeg();
        return record(
                "jpeg-no-eoi", camera(), Arrays.copyOf(j, j.length - 2), dlq("truncated-jpeg"));
    }

    /**
     * Bytes of the entropy-coded data changed (never into or next to an ff, so the marker structure
     * stays intact): the structure check passes it, the decoder sees garbage pixels.
     */
    private HostileRecord jpegFlippedEntropy() {
        byte[] j = jpeg().clone();
        int scan = scanDataStart(j);
        int flips = 1 + random.nextInt(16);
        for (int n = 0; n < flips; ) {
            int at = scan + 1 + random.nextInt(j.length - 3 - scan - 1);
            if ((j[at] & 0xFF) == 0xFF || (j[at - 1] & 0xFF) == 0xFF) {
                continue;
            }
            int flipped = (j[at] & 0xFF) ^ (1 + random.nextInt(255));
            if (flipped == 0xFF) {
                continue;
            }
            j[at] = (byte) flipped;
            n++;
        }
        return record("jpeg-flipped-entropy", camera(), j, FRAME);
    }

    private HostileRecord jpegNoSof() {
        byte[] j = jpeg();
        int sof = segmentStart(j, 0xC0, 0xC2);
        int len = u16(j, sof + 2) + 2;
        byte[] out = new byte[j.length - len];
        System.arraycopy(j, 0, out, 0, sof);
        System.arraycopy(j, sof + len, out, sof, j.length - sof - len);
        return record("jpeg-no-sof", camera(), out, dlq("corrupt-jpeg"));
    }

    /** A small real JPEG whose frame header declares a size over the pixel limit. */
    private HostileRecord jpegBomb() {
        int w;
        int h;
        do {
            w = 1 + random.nextInt(65535);
            h = 1 + random.nextInt(65535);
        } while ((long) w * h <= MAX_PIXELS);
        return record("jpeg-bomb", camera(), jpegDeclaring(jpeg(), w, h), dlq("image-too-large"));
    }

    private HostileRecord jpegZeroSize() {
        boolean zeroWidth = random.nextBoolean();
        byte[] j = jpegDeclaring(jpeg(), zeroWidth ? 0 : 480, zeroWidth ? 270 : 0);
        return record("jpeg-zero-size", camera(), j, dlq("corrupt-jpeg"));
    }

    // ---- valid images of unusual kinds

    private HostileRecord png() {
        return record(
                "png",
                camera(),
                encode(
                        gradient(
                                8 + random.nextInt(200),
                                8 + random.nextInt(200),
                                BufferedImage.TYPE_3BYTE_BGR),
                        "png"),
                FRAME);
    }

    private HostileRecord pngTruncated() {
        byte[] p = encode(gradient(40, 30, BufferedImage.TYPE_3BYTE_BGR), "png");
        int cut = 9 + random.nextInt(p.length - 9 - 12);
        return record("png-truncated", camera(), Arrays.copyOf(p, cut), dlq("truncated-png"));
    }

    private HostileRecord pngBomb() {
        byte[] p = encode(gradient(40, 30, BufferedImage.TYPE_3BYTE_BGR), "png").clone();
        // IHDR data starts at 16: width, height (big-endian)
        putU32(p, 16, 50_000 + random.nextInt(10_000));
        putU32(p, 20, 50_000 + random.nextInt(10_000));
        return record("png-bomb", camera(), p, dlq("image-too-large"));
    }

    private HostileRecord grayJpeg() {
        byte[] j =
                encode(
                        gradient(
                                16 + random.nextInt(400),
                                16 + random.nextInt(300),
                                BufferedImage.TYPE_BYTE_GRAY),
                        "jpeg");
        return record("gray-jpeg", camera(), j, FRAME);
    }

    private HostileRecord cmykJpeg() {
        return record(
                "cmyk-jpeg",
                camera(),
                cmyk(16 + random.nextInt(200), 16 + random.nextInt(200)),
                FRAME);
    }

    private HostileRecord onePixel(String format) {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(0, 0, random.nextInt(0x1000000));
        return record("one-pixel-" + format, camera(), encode(img, format), FRAME);
    }

    /** A real 10000x10000 JPEG (one flat grey, about 1 MB): over the 40 Mpx limit. */
    private HostileRecord huge() {
        if (hugeSolidJpeg == null) {
            BufferedImage img = new BufferedImage(10_000, 10_000, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(90, 90, 90));
            g.fillRect(0, 0, 10_000, 10_000);
            g.dispose();
            hugeSolidJpeg = encode(img, "jpeg");
        }
        return record("jpeg-10000x10000", camera(), hugeSolidJpeg, dlq("image-too-large"));
    }

    /** A real JPEG padded past the 8 MiB frame limit, still under the broker's 16 MiB. */
    private HostileRecord oversized() {
        byte[] v = Arrays.copyOf(jpeg(), MAX_FRAME_BYTES + 1 + random.nextInt(1024 * 1024));
        return record("oversized-value", camera(), v, dlq("oversized-value"));
    }

    /** Over the embedded broker's 16 MiB message.max.bytes. */
    private HostileRecord overBrokerLimit() {
        byte[] v = Arrays.copyOf(jpeg(), EmbeddedKafkaBroker.MAX_MESSAGE_BYTES + 1024);
        return record("over-broker-limit", camera(), v, REJECTED_BY_BROKER);
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
        byte[] v =
                jpegSaysPng
                        ? jpeg()
                        : encode(gradient(20, 20, BufferedImage.TYPE_3BYTE_BGR), "png");
        return new HostileRecord(
                "content-type-mismatch", utf8(camera()), v, past(), h, dlq("bad-header"));
    }

    // ---- helpers

    private HostileRecord record(String kind, byte[] key, byte[] value, String expected) {
        return new HostileRecord(kind, key, value, past(), Map.of(), expected);
    }

    private HostileRecord record(String kind, String camera, byte[] value, String expected) {
        return record(kind, utf8(camera), value, expected);
    }

    /** A capture time in the minute before {@code now}, like live traffic. */
    private long past() {
        return now - 1 - random.nextInt(60_000);
    }

    private String camera() {
        return frames.get(random.nextInt(frames.size())).camera();
    }

    private byte[] jpeg() {
        return frames.get(random.nextInt(frames.size())).jpeg();
    }

    private static Map<String, String> jpegHeaders(Long seq) {
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

    private BufferedImage gradient(int w, int h, int type) {
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
    private byte[] cmyk(int w, int h) {
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

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
