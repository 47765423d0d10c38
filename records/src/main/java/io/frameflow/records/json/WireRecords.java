package io.frameflow.records.json;

import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.wire.FrameWire;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The binary topics as Kafka records, both ways: frames ({@code frames}), annotated frames ({@code
 * frames.annotated}) and dead letters ({@code frames.dlq}). Key = camera id (UTF-8), timestamp =
 * capture time, header values UTF-8 text.
 */
public final class WireRecords {

    private WireRecords() {}

    /** A frame as the producer publishes it: headers {@code seq} (when known), content-type. */
    public static ProducerRecord<byte[], byte[]> frame(String topic, Frame f) {
        Headers headers = new RecordHeaders();
        if (f.seq() >= 0) {
            headers.add(FrameWire.HEADER_SEQ, utf8(Long.toString(f.seq())));
        }
        if (f.contentType() != null) {
            headers.add(FrameWire.HEADER_CONTENT_TYPE, utf8(f.contentType()));
        }
        return new ProducerRecord<>(
                topic, null, timestamp(f.captureTs()), utf8(f.camera()), f.image(), headers);
    }

    /** A camera's JPEG as a {@code frames} record, what any producer sends. */
    public static ProducerRecord<byte[], byte[]> frame(
            String topic, String camera, long seq, long captureTs, byte[] jpeg) {
        return frame(topic, new Frame(camera, seq, captureTs, Frame.JPEG, jpeg, null, -1, -1));
    }

    public static ProducerRecord<byte[], byte[]> annotated(String topic, AnnotatedFrame a) {
        Headers headers = new RecordHeaders();
        if (a.seq() >= 0) {
            headers.add(FrameWire.HEADER_SEQ, utf8(Long.toString(a.seq())));
        }
        if (a.model() != null) {
            headers.add(FrameWire.HEADER_MODEL, utf8(a.model()));
        }
        return new ProducerRecord<>(
                topic, null, timestamp(a.captureTs()), utf8(a.camera()), a.jpeg(), headers);
    }

    /** Parses a {@code frames.annotated} record; a missing key or value is an error. */
    public static AnnotatedFrame annotated(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            throw new IllegalArgumentException(
                    "annotated frame at " + where(r) + " has no key (camera id)");
        }
        if (r.value() == null) {
            throw new IllegalArgumentException("annotated frame at " + where(r) + " has no value");
        }
        return new AnnotatedFrame(
                new String(r.key(), StandardCharsets.UTF_8),
                seq(r.headers()),
                r.timestamp(),
                header(r.headers(), FrameWire.HEADER_MODEL),
                r.value());
    }

    /**
     * A dead letter: the original key and bytes, the original timestamp when it was valid, and
     * headers {@code error}, {@code source-topic}, {@code source-partition}, {@code source-offset}.
     */
    public static ProducerRecord<byte[], byte[]> deadLetter(String topic, DeadLetter d) {
        return deadLetter(topic, d, Integer.MAX_VALUE);
    }

    /**
     * The dead letter as a record of at most {@code maxRecordBytes} as the broker counts it (a
     * batch of one record). A dead letter must always fit its topic: one that the topic refuses
     * fails the writer, the job restarts, reads the same record and loops with no output for any
     * camera. So the original bytes are kept up to what fits, with headers {@code original-size},
     * {@code sha256} (of the whole original value) and {@code truncated=true}; a key too long to
     * leave room is cut the same way.
     */
    public static ProducerRecord<byte[], byte[]> deadLetter(
            String topic, DeadLetter d, int maxRecordBytes) {
        Headers headers = new RecordHeaders();
        headers.add(FrameWire.HEADER_ERROR, utf8(d.reason()));
        if (d.sourceTopic() != null) {
            headers.add(FrameWire.HEADER_SOURCE_TOPIC, utf8(d.sourceTopic()));
        }
        headers.add(FrameWire.HEADER_SOURCE_PARTITION, utf8(Integer.toString(d.sourcePartition())));
        headers.add(FrameWire.HEADER_SOURCE_OFFSET, utf8(Long.toString(d.sourceOffset())));
        byte[] key = d.key();
        byte[] value = d.value();
        if (DeadLetterSize.of(key, value, headers) > maxRecordBytes) {
            int originalSize = value == null ? 0 : value.length;
            headers.add(FrameWire.HEADER_ORIGINAL_SIZE, utf8(Integer.toString(originalSize)));
            headers.add(FrameWire.HEADER_SHA256, utf8(DeadLetterSize.sha256(value)));
            headers.add(FrameWire.HEADER_TRUNCATED, utf8("true"));
            key = DeadLetterSize.cut(key, Math.max(0, maxRecordBytes / 16));
            int room = maxRecordBytes - DeadLetterSize.of(key, null, headers);
            value = DeadLetterSize.cut(value, Math.max(0, room));
        }
        return new ProducerRecord<>(topic, null, timestamp(d.timestamp()), key, value, headers);
    }

    /** Parses a {@code frames.dlq} record; the {@code error} header is required. */
    public static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
        String error = header(r.headers(), FrameWire.HEADER_ERROR);
        if (error == null) {
            throw new IllegalArgumentException(
                    "dead letter at "
                            + where(r)
                            + " has no '"
                            + FrameWire.HEADER_ERROR
                            + "' header");
        }
        return new DeadLetter(
                r.key(),
                r.value(),
                r.timestamp(),
                error,
                header(r.headers(), FrameWire.HEADER_SOURCE_TOPIC),
                (int) number(r.headers(), FrameWire.HEADER_SOURCE_PARTITION),
                number(r.headers(), FrameWire.HEADER_SOURCE_OFFSET));
    }

    /** A JSON value keyed by camera, stamped with {@code timestamp} (detections, stats). */
    public static ProducerRecord<byte[], byte[]> json(
            String topic, String camera, long timestamp, byte[] json) {
        return new ProducerRecord<>(topic, null, timestamp(timestamp), utf8(camera), json);
    }

    /** The last value of a header as UTF-8 text, or null. */
    public static String header(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long seq(Headers headers) {
        return number(headers, FrameWire.HEADER_SEQ);
    }

    /** A decimal header, or -1 when absent. */
    private static long number(Headers headers, String name) {
        String text = header(headers, name);
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "header " + name + " '" + text + "' is not a number");
        }
    }

    /** Kafka rejects negative timestamps: let the producer stamp those records instead. */
    private static Long timestamp(long ts) {
        return ts >= 0 ? ts : null;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }
}
