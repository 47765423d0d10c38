package io.frameflow.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.connectors.TestImages;
import io.frameflow.connectors.source.FrameValidator;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.json.WireRecords;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class WireRecordsTest {

    /** What a consumer sees for a produced record, at the given partition and offset. */
    static ConsumerRecord<byte[], byte[]> delivered(
            ProducerRecord<byte[], byte[]> p, int partition, long offset) {
        return new ConsumerRecord<>(
                p.topic(),
                partition,
                offset,
                p.timestamp() == null ? 999L : p.timestamp(),
                TimestampType.CREATE_TIME,
                p.key() == null ? -1 : p.key().length,
                p.value() == null ? -1 : p.value().length,
                p.key(),
                p.value(),
                p.headers(),
                Optional.empty());
    }

    @Test
    void aFrameRecordReadsBackThroughTheValidatorAsTheSameFrame() {
        Frame f =
                new Frame(
                        "cam-1",
                        5,
                        1_763_000_000_000L,
                        Frame.JPEG,
                        TestImages.realJpeg(),
                        null,
                        -1,
                        -1);
        ProducerRecord<byte[], byte[]> p = WireRecords.frame("frames", f);
        assertThat(new String(p.key(), StandardCharsets.UTF_8)).isEqualTo("cam-1");
        assertThat(p.timestamp()).isEqualTo(f.captureTs());
        assertThat(WireRecords.header(p.headers(), "seq")).isEqualTo("5");
        assertThat(WireRecords.header(p.headers(), "content-type")).isEqualTo("image/jpeg");

        Frame back = new FrameValidator().validate(delivered(p, 1, 9)).frame();
        assertThat(back)
                .usingRecursiveComparison()
                .isEqualTo(
                        new Frame(
                                "cam-1", 5, f.captureTs(), Frame.JPEG, f.image(), "frames", 1, 9));
    }

    @Test
    void aFrameWithoutSeqHasNoSeqHeader() {
        ProducerRecord<byte[], byte[]> p =
                WireRecords.frame(
                        "frames", new Frame("c", -1, 1, Frame.PNG, new byte[] {1}, null, -1, -1));
        assertThat(p.headers().lastHeader("seq")).isNull();
    }

    @Test
    void annotatedFrameRoundTrips() {
        AnnotatedFrame a =
                new AnnotatedFrame(
                        "cam-2", 17, 1_763_000_000_123L, "yolox_nano", TestImages.realJpeg());
        ProducerRecord<byte[], byte[]> p = WireRecords.annotated("frames.annotated", a);
        assertThat(p.timestamp()).isEqualTo(a.captureTs());
        assertThat(WireRecords.header(p.headers(), "model")).isEqualTo("yolox_nano");
        assertThat(WireRecords.annotated(delivered(p, 0, 0)))
                .usingRecursiveComparison()
                .isEqualTo(a);

        AnnotatedFrame noSeq = new AnnotatedFrame("cam-2", -1, 5, "m", new byte[] {1});
        assertThat(WireRecords.annotated(delivered(WireRecords.annotated("t", noSeq), 0, 0)).seq())
                .isEqualTo(-1);
    }

    @Test
    void annotatedFrameWithoutKeyIsAnError() {
        ProducerRecord<byte[], byte[]> p =
                new ProducerRecord<>("frames.annotated", null, new byte[] {1});
        assertThatThrownBy(() -> WireRecords.annotated(delivered(p, 0, 3)))
                .hasMessage("annotated frame at frames.annotated-0@3 has no key (camera id)");
    }

    @Test
    void deadLetterRoundTripsWithOriginalBytesAndProvenance() {
        DeadLetter d =
                new DeadLetter(
                        "cam-1".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2},
                        1_763_000_000_000L,
                        "truncated-jpeg: no EOI marker",
                        "frames",
                        1,
                        12345L);
        ProducerRecord<byte[], byte[]> p = WireRecords.deadLetter("frames.dlq", d);
        assertThat(p.key()).isSameAs(d.key());
        assertThat(p.value()).isSameAs(d.value());
        assertThat(p.timestamp()).isEqualTo(d.timestamp());
        assertThat(WireRecords.header(p.headers(), "error")).isEqualTo(d.reason());
        assertThat(WireRecords.header(p.headers(), "source-topic")).isEqualTo("frames");
        assertThat(WireRecords.header(p.headers(), "source-partition")).isEqualTo("1");
        assertThat(WireRecords.header(p.headers(), "source-offset")).isEqualTo("12345");
        assertThat(WireRecords.deadLetter(delivered(p, 0, 0)))
                .usingRecursiveComparison()
                .isEqualTo(d);
    }

    @Test
    void deadLetterWithoutKeyValueOrValidTimestampStillMakesARecord() {
        DeadLetter d =
                new DeadLetter(null, null, -5, "bad-timestamp: timestamp -5", "frames", 0, 1);
        ProducerRecord<byte[], byte[]> p = WireRecords.deadLetter("frames.dlq", d);
        assertThat(p.key()).isNull();
        assertThat(p.value()).isNull();
        assertThat(p.timestamp()).isNull(); // Kafka rejects negative timestamps
        DeadLetter back = WireRecords.deadLetter(delivered(p, 0, 0));
        assertThat(back.reason()).isEqualTo(d.reason());
        assertThat(back.key()).isNull();
        assertThat(back.value()).isNull();
    }

    @Test
    void aDlqRecordWithoutErrorHeaderIsAnError() {
        ProducerRecord<byte[], byte[]> p = new ProducerRecord<>("frames.dlq", null, new byte[] {1});
        assertThatThrownBy(() -> WireRecords.deadLetter(delivered(p, 2, 7)))
                .hasMessage("dead letter at frames.dlq-2@7 has no 'error' header");
    }
}
