package io.frameflow.records.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.wire.FrameWire;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, fault 1: a dead letter always fits its topic. The size is measured by Kafka's own
 * record batch encoder, not by the estimate under test.
 */
class DeadLetterFitsTest {

    private static final int LIMIT = FrameWire.KAFKA_DEFAULT_MAX_MESSAGE_BYTES;

    private static DeadLetter letter(byte[] key, byte[] value) {
        return new DeadLetter(
                key, value, 1_763_000_000_000L, "not-an-image: starts with 0102", "frames", 3, 42);
    }

    private static int batchBytes(ProducerRecord<byte[], byte[]> r) {
        SimpleRecord record =
                new SimpleRecord(r.timestamp(), r.key(), r.value(), r.headers().toArray());
        return MemoryRecords.withRecords(Compression.NONE, record).sizeInBytes();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aDeadLetterOfAFrameNearTheLimitIsCutToFitWithItsSizeAndHash() throws Exception {
        // a frame the input topic accepted: the dead letter adds error and provenance headers
        byte[] value = new byte[LIMIT - 120];
        new Random(7).nextBytes(value);
        ProducerRecord<byte[], byte[]> full =
                WireRecords.deadLetter("frames.dlq", letter("cam-1".getBytes(), value));
        assertThat(batchBytes(full))
                .as("uncut, the dead letter exceeds the limit")
                .isGreaterThan(LIMIT);

        ProducerRecord<byte[], byte[]> cut =
                WireRecords.deadLetter("frames.dlq", letter("cam-1".getBytes(), value), LIMIT);

        assertThat(batchBytes(cut)).isLessThanOrEqualTo(LIMIT);
        assertThat(header(cut, FrameWire.HEADER_TRUNCATED)).isEqualTo("true");
        assertThat(header(cut, FrameWire.HEADER_ORIGINAL_SIZE))
                .isEqualTo(String.valueOf(value.length));
        assertThat(header(cut, FrameWire.HEADER_SHA256))
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        assertThat(cut.value()).isEqualTo(Arrays.copyOf(value, cut.value().length));
        assertThat(cut.value().length).isGreaterThan(LIMIT - 4096);
        assertThat(cut.key()).isEqualTo("cam-1".getBytes());
        assertThat(header(cut, FrameWire.HEADER_ERROR)).startsWith("not-an-image");
    }

    @Test
    void aHugeKeyIsCutTooAndASmallDeadLetterIsLeftAlone() {
        byte[] key = new byte[LIMIT - 100];
        Arrays.fill(key, (byte) 'k');
        ProducerRecord<byte[], byte[]> cut =
                WireRecords.deadLetter("frames.dlq", letter(key, new byte[1000]), LIMIT);
        assertThat(batchBytes(cut)).isLessThanOrEqualTo(LIMIT);
        assertThat(header(cut, FrameWire.HEADER_TRUNCATED)).isEqualTo("true");

        ProducerRecord<byte[], byte[]> small =
                WireRecords.deadLetter(
                        "frames.dlq", letter("cam-1".getBytes(), new byte[1000]), LIMIT);
        assertThat(small.value()).hasSize(1000);
        assertThat(small.headers().lastHeader(FrameWire.HEADER_TRUNCATED)).isNull();
        assertThat(small.headers().lastHeader(FrameWire.HEADER_ORIGINAL_SIZE)).isNull();
    }
}
