package io.frameflow.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.connectors.TestImages;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.wire.FrameWire;
import io.frameflow.records.wire.RejectReason;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class FrameValidatorTest {

    private static final long TS = 1_763_000_000_000L;

    private final FrameValidator validator = new FrameValidator();
    private final Set<RejectReason> seen = EnumSet.noneOf(RejectReason.class);

    @Test
    void everySharedFrameBecomesAFrameWithItsKeySeqTimestampAndProvenance() {
        for (SharedFrame f : SharedFrames.load()) {
            var headers = new RecordHeaders().add("seq", bytes(Long.toString(f.seq())));
            ValidatedRecord out =
                    validator.validate(record(bytes(f.camera()), f.jpeg(), TS + f.seq(), headers));
            assertThat(out.deadLetter()).as(f.fileName()).isNull();
            Frame frame = out.frame();
            assertThat(frame.camera()).isEqualTo(f.camera());
            assertThat(frame.seq()).isEqualTo(f.seq());
            assertThat(frame.captureTs()).isEqualTo(TS + f.seq());
            assertThat(frame.contentType()).isEqualTo(Frame.JPEG);
            assertThat(frame.image()).isEqualTo(f.jpeg());
            assertThat(frame.sourceTopic()).isEqualTo("frames-in");
            assertThat(frame.sourcePartition()).isEqualTo(1);
            assertThat(frame.sourceOffset()).isEqualTo(42L);
        }
    }

    /** Issue 15, fault 4: any key became a camera; a camera id is a short, plain name. */
    @Test
    void cameraIdsAreShortPlainNames() {
        byte[] jpeg = TestImages.realJpeg();
        for (String ok :
                List.of(
                        "cam-1",
                        "Front Door 2",
                        "site.a_entrance:north",
                        "c".repeat(128),
                        "7",
                        "Küche 1")) {
            assertThat(accept(record(bytes(ok), jpeg, TS, new RecordHeaders())).camera())
                    .isEqualTo(ok);
        }
        for (String bad :
                List.of(
                        "c".repeat(129),
                        "-cam",
                        "cam<script>",
                        "tab\tcam",
                        "cam'1",
                        "a/../../etc")) {
            assertThat(validator.validate(record(bytes(bad), jpeg, TS, new RecordHeaders())))
                    .extracting(r -> r.deadLetter().reasonCode())
                    .as(bad)
                    .isEqualTo("bad-camera-id");
        }
    }

    @Test
    void aFrameWithoutSeqHeaderGetsNoSeq() {
        Frame f = accept(record(bytes("cam-1"), TestImages.realJpeg(), TS, new RecordHeaders()));
        assertThat(f.seq()).isEqualTo(Frame.NO_SEQ);
    }

    @Test
    void aPngIsAFrameOfTypePng() {
        Frame f = accept(record(bytes("cam-1"), TestImages.png(64, 32), TS, new RecordHeaders()));
        assertThat(f.contentType()).isEqualTo(Frame.PNG);
    }

    @Test
    void aMatchingOrUnrelatedContentTypeIsAccepted() {
        for (String type :
                new String[] {"image/jpeg", "IMAGE/JPG; q=1", "application/octet-stream"}) {
            var headers = new RecordHeaders().add("content-type", bytes(type));
            assertThat(accept(record(bytes("c"), TestImages.realJpeg(), TS, headers)).contentType())
                    .isEqualTo(Frame.JPEG);
        }
    }

    @Test
    void rejectsEachKindOfBadRecordWithItsOwnReasonAndKeepsTheBytes() {
        byte[] jpeg = TestImages.realJpeg();
        byte[] key = bytes("cam-1");
        var none = new RecordHeaders();

        reject(record(null, jpeg, TS, none), RejectReason.MISSING_KEY, "missing-key");
        reject(record(new byte[0], jpeg, TS, none), RejectReason.MISSING_KEY, "missing-key");
        reject(
                record(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x41}, jpeg, TS, none),
                RejectReason.BAD_KEY,
                "bad-key: not valid UTF-8");
        reject(
                record(bytes("  "), jpeg, TS, none),
                RejectReason.BAD_KEY,
                "bad-key: only whitespace");
        reject(
                record(bytes("c".repeat(129)), jpeg, TS, none),
                RejectReason.BAD_CAMERA_ID,
                "bad-camera-id: 129 characters > 128");
        reject(
                record(bytes("cam\n1\"}"), jpeg, TS, none),
                RejectReason.BAD_CAMERA_ID,
                "bad-camera-id: 'cam?1\"}': use letters, digits");
        reject(record(key, null, TS, none), RejectReason.EMPTY_VALUE, "empty-value");
        reject(record(key, new byte[0], TS, none), RejectReason.EMPTY_VALUE, "empty-value");
        reject(
                record(key, new byte[FrameWire.DEFAULT_MAX_FRAME_BYTES + 1], TS, none),
                RejectReason.OVERSIZED_VALUE,
                "oversized-value: 8388609 bytes > limit 8388608");
        reject(
                record(key, jpeg, -5, none),
                RejectReason.BAD_TIMESTAMP,
                "bad-timestamp: timestamp -5");
        reject(
                record(key, jpeg, TS, new RecordHeaders().add("seq", bytes("abc"))),
                RejectReason.BAD_HEADER,
                "bad-header: seq 'abc' is not a decimal >= 0");
        reject(
                record(key, jpeg, TS, new RecordHeaders().add("seq", bytes("-3"))),
                RejectReason.BAD_HEADER,
                "bad-header: seq '-3' is not a decimal >= 0");
        reject(
                record(key, jpeg, TS, new RecordHeaders().add("content-type", bytes("image/png"))),
                RejectReason.BAD_HEADER,
                "bad-header: content-type 'image/png' but the bytes are image/jpeg");
        reject(
                record(key, TestImages.randomBytes(1000, 1), TS, none),
                RejectReason.NOT_AN_IMAGE,
                "not-an-image: starts with ");
        reject(
                record(key, Arrays.copyOf(jpeg, jpeg.length / 2), TS, none),
                RejectReason.TRUNCATED_JPEG,
                "truncated-jpeg: no EOI marker");
        reject(
                record(key, TestImages.jpegWithoutSof(jpeg), TS, none),
                RejectReason.CORRUPT_JPEG,
                "corrupt-jpeg: scan (SOS) before any frame header (SOF)");
        byte[] png = TestImages.png(40, 30);
        reject(
                record(key, Arrays.copyOf(png, png.length - 5), TS, none),
                RejectReason.TRUNCATED_PNG,
                "truncated-png: ");
        reject(
                record(key, TestImages.pngDeclaring(png, 40, 0), TS, none),
                RejectReason.CORRUPT_PNG,
                "corrupt-png: IHDR declares 40x0");
        reject(
                record(key, TestImages.jpegDeclaring(jpeg, 65000, 65000), TS, none),
                RejectReason.IMAGE_TOO_LARGE,
                "image-too-large: 65000x65000 = 4225000000 pixels > limit 40000000");

        // every reason a record can earn at the source is covered above
        assertThat(seen)
                .containsExactlyInAnyOrderElementsOf(
                        EnumSet.complementOf(EnumSet.of(RejectReason.VALIDATION_ERROR)));
    }

    @Test
    void limitsAreConfigurable() {
        FrameValidator strict = new FrameValidator(1000, 480 * 270 - 1);
        byte[] jpeg = TestImages.realJpeg();
        assertThat(
                        strict.validate(record(bytes("c"), jpeg, TS, new RecordHeaders()))
                                .deadLetter()
                                .reason())
                .isEqualTo("oversized-value: " + jpeg.length + " bytes > limit 1000");
        FrameValidator fewPixels = new FrameValidator(1 << 20, 480 * 270 - 1);
        assertThat(
                        fewPixels
                                .validate(record(bytes("c"), jpeg, TS, new RecordHeaders()))
                                .deadLetter()
                                .reasonCode())
                .isEqualTo("image-too-large");
        FrameValidator exact = new FrameValidator(jpeg.length, 480 * 270);
        assertThat(exact.validate(record(bytes("c"), jpeg, TS, new RecordHeaders())).isFrame())
                .isTrue();
    }

    @Test
    void unsetAndFarFutureTimestampsAreDeadLetteredAndTheSkewIsConfigurable() {
        byte[] jpeg = TestImages.realJpeg();
        byte[] key = bytes("c");
        Clock now = Clock.fixed(Instant.ofEpochMilli(TS), ZoneOffset.UTC);
        FrameValidator v =
                new FrameValidator(
                        FrameWire.DEFAULT_MAX_FRAME_BYTES,
                        FrameWire.DEFAULT_MAX_PIXELS,
                        60_000,
                        now);
        assertThat(v.validate(record(key, jpeg, 0, new RecordHeaders())).deadLetter().reason())
                .isEqualTo(
                        "bad-timestamp: timestamp 0 is before 2000-01-01: the camera clock is not"
                                + " set");
        assertThat(
                        v.validate(record(key, jpeg, 86_400_000L, new RecordHeaders()))
                                .deadLetter()
                                .reasonCode())
                .isEqualTo("bad-timestamp");
        assertThat(
                        v.validate(record(key, jpeg, TS + 60_001, new RecordHeaders()))
                                .deadLetter()
                                .reason())
                .isEqualTo(
                        "bad-timestamp: timestamp "
                                + (TS + 60_001)
                                + " is 60001 ms ahead of the wall clock (limit 60000 ms)");
        // at the limit, in the past, and the first accepted millisecond are frames
        assertThat(v.validate(record(key, jpeg, TS + 60_000, new RecordHeaders())).isFrame())
                .isTrue();
        assertThat(v.validate(record(key, jpeg, TS - 86_400_000L, new RecordHeaders())).isFrame())
                .isTrue();
        assertThat(
                        v.validate(
                                        record(
                                                key,
                                                jpeg,
                                                FrameWire.MIN_TIMESTAMP_MS,
                                                new RecordHeaders()))
                                .isFrame())
                .isTrue();
        // the default skew is 5 minutes, against the real clock
        long wall = System.currentTimeMillis();
        assertThat(validator.maxFutureSkewMs()).isEqualTo(300_000L);
        assertThat(
                        validator
                                .validate(record(key, jpeg, wall + 60_000, new RecordHeaders()))
                                .isFrame())
                .isTrue();
        assertThat(
                        validator
                                .validate(record(key, jpeg, wall + 3_600_000, new RecordHeaders()))
                                .deadLetter()
                                .reasonCode())
                .isEqualTo("bad-timestamp");
        assertThatThrownBy(() -> new FrameValidator(1000, 1000, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max future skew");
    }

    private Frame accept(ConsumerRecord<byte[], byte[]> r) {
        ValidatedRecord out = validator.validate(r);
        assertThat(out.deadLetter()).isNull();
        assertThat(out.frame()).isNotNull();
        return out.frame();
    }

    private void reject(
            ConsumerRecord<byte[], byte[]> r, RejectReason reason, String reasonPrefix) {
        ValidatedRecord out = validator.validate(r);
        assertThat(out.frame()).as(reasonPrefix).isNull();
        DeadLetter dl = out.deadLetter();
        assertThat(dl.reason()).startsWith(reasonPrefix);
        assertThat(dl.reasonCode()).isEqualTo(reason.code());
        assertThat(dl.key()).isSameAs(r.key());
        assertThat(dl.value()).isSameAs(r.value());
        assertThat(dl.timestamp()).isEqualTo(r.timestamp());
        assertThat(dl.sourceTopic()).isEqualTo("frames-in");
        assertThat(dl.sourcePartition()).isEqualTo(1);
        assertThat(dl.sourceOffset()).isEqualTo(42L);
        seen.add(reason);
    }

    private static ConsumerRecord<byte[], byte[]> record(
            byte[] key, byte[] value, long ts, Headers headers) {
        return new ConsumerRecord<>(
                "frames-in",
                1,
                42L,
                ts,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                headers,
                Optional.empty());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
