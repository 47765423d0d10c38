package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.frameflow.records.wire.FrameWire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** Checks records against FrameFlow's frame wire format. */
public final class FrameAssertions {

    private FrameAssertions() {}

    public static Map<String, List<ConsumerRecord<byte[], byte[]>>> byCamera(
            List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> out = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(r);
        }
        return out;
    }

    public static long seq(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(FrameWire.HEADER_SEQ);
        assertThat(h).as("seq header").isNotNull();
        return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** seq 0..n-1 in order, strictly increasing timestamps, content-type image/jpeg. */
    public static void assertOrderedStream(List<ConsumerRecord<byte[], byte[]>> frames) {
        long prevTs = Long.MIN_VALUE;
        for (int i = 0; i < frames.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = frames.get(i);
            assertThat(seq(r)).as("seq of record %d", i).isEqualTo(i);
            assertThat(r.timestamp()).as("timestamp of seq %d", i).isGreaterThan(prevTs);
            prevTs = r.timestamp();
            Header ct = r.headers().lastHeader(FrameWire.HEADER_CONTENT_TYPE);
            assertThat(ct).isNotNull();
            assertThat(new String(ct.value(), StandardCharsets.UTF_8)).isEqualTo("image/jpeg");
        }
    }

    /** Decodes a JPEG with OpenCV and returns {width, height}. */
    public static int[] decodeJpeg(byte[] jpeg) {
        assertThat(jpeg.length).isGreaterThan(4);
        assertThat(jpeg[0] & 0xff).as("JPEG SOI").isEqualTo(0xFF);
        assertThat(jpeg[1] & 0xff).as("JPEG SOI").isEqualTo(0xD8);
        try (Mat buf = new Mat(1, jpeg.length, opencv_core.CV_8UC1)) {
            buf.data().put(jpeg);
            try (Mat img = imdecode(buf, IMREAD_COLOR)) {
                assertThat(img.empty()).as("JPEG decodes").isFalse();
                return new int[] {img.cols(), img.rows()};
            }
        }
    }
}
