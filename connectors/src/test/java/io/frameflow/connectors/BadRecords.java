package io.frameflow.connectors;

import io.frameflow.records.wire.FrameWire;
import io.frameflow.records.wire.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Ten malformed {@code frames} records, each with a different reason to be dead-lettered. */
public final class BadRecords {

    /** A record to publish and the reason the source must give it. */
    public record BadRecord(ProducerRecord<byte[], byte[]> record, RejectReason expected) {}

    private BadRecords() {}

    /** The ten, keyed (where they have a key) by an existing camera, stamped {@code ts}. */
    public static List<BadRecord> all(String topic, String camera, long ts) {
        byte[] key = camera.getBytes(StandardCharsets.UTF_8);
        byte[] jpeg = TestImages.realJpeg();
        byte[] png = TestImages.png(64, 48);
        // a real JPEG padded past the limit: only the size check can reject it
        byte[] oversized = Arrays.copyOf(jpeg, FrameWire.DEFAULT_MAX_FRAME_BYTES + 1);
        return List.of(
                bad(topic, null, jpeg, ts, null, RejectReason.MISSING_KEY),
                bad(topic, new byte[] {(byte) 0xC3, 0x28}, jpeg, ts, null, RejectReason.BAD_KEY),
                bad(topic, key, new byte[0], ts, null, RejectReason.EMPTY_VALUE),
                bad(topic, key, oversized, ts, null, RejectReason.OVERSIZED_VALUE),
                bad(
                        topic,
                        key,
                        TestImages.randomBytes(4096, 3),
                        ts,
                        null,
                        RejectReason.NOT_AN_IMAGE),
                bad(
                        topic,
                        key,
                        Arrays.copyOf(jpeg, jpeg.length / 2),
                        ts,
                        null,
                        RejectReason.TRUNCATED_JPEG),
                bad(
                        topic,
                        key,
                        TestImages.jpegWithoutSof(jpeg),
                        ts,
                        null,
                        RejectReason.CORRUPT_JPEG),
                bad(
                        topic,
                        key,
                        Arrays.copyOf(png, png.length - 20),
                        ts,
                        null,
                        RejectReason.TRUNCATED_PNG),
                bad(
                        topic,
                        key,
                        TestImages.jpegDeclaring(jpeg, 65000, 65000),
                        ts,
                        null,
                        RejectReason.IMAGE_TOO_LARGE),
                bad(topic, key, jpeg, ts, "twelve", RejectReason.BAD_HEADER));
    }

    private static BadRecord bad(
            String topic, byte[] key, byte[] value, long ts, String seq, RejectReason expected) {
        RecordHeaders headers = new RecordHeaders();
        if (seq != null) {
            headers.add(FrameWire.HEADER_SEQ, seq.getBytes(StandardCharsets.UTF_8));
        }
        return new BadRecord(new ProducerRecord<>(topic, null, ts, key, value, headers), expected);
    }
}
