package io.frameflow.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import io.frameflow.testkit.HostileCorpus;
import io.frameflow.testkit.HostileCorpus.HostileRecord;
import io.frameflow.testkit.SharedFrames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The unusual images the source lets through (grayscale, CMYK, 1x1, PNG, JPEGs with damaged entropy
 * data) decode with OpenCV into a BGR image of the declared size, or into an empty Mat (a clear
 * "cannot decode"), never a crash. The inference stage's decoder is not on main yet, so this uses
 * {@code imdecode} directly, as that decoder does.
 */
class PassingFramesDecodeTest {

    private static final Set<String> MUST_DECODE =
            Set.of("gray-jpeg", "cmyk-jpeg", "one-pixel-jpeg", "one-pixel-png", "png");

    @Test
    void everyUnusualFrameThatPassesValidationDecodesToBgrOrFailsCleanly() throws Exception {
        List<HostileRecord> corpus =
                HostileCorpus.mixedTraffic(
                        42, SharedFrames.load(), System.currentTimeMillis(), 1000);
        Map<String, int[]> decodedAndEmpty = new TreeMap<>();
        for (HostileRecord h : corpus) {
            if (!h.expected().equals(HostileCorpus.FRAME) || h.kind().equals("real-frame")) {
                continue;
            }
            ImageInfo info = ImageProbe.probe(h.value());
            int[] counts = decodedAndEmpty.computeIfAbsent(h.kind(), k -> new int[2]);
            try (BytePointer bytes = new BytePointer(h.value());
                    Mat buf = new Mat(1, h.value().length, CV_8U, bytes);
                    Mat img = imdecode(buf, IMREAD_COLOR)) {
                if (img.empty()) {
                    assertThat(MUST_DECODE).as(h.toString()).doesNotContain(h.kind());
                    counts[1]++;
                    continue;
                }
                assertThat(img.type()).as(h.toString()).isEqualTo(CV_8UC3);
                assertThat(img.channels()).isEqualTo(3);
                assertThat(img.cols()).as(h.toString()).isEqualTo(info.width());
                assertThat(img.rows()).as(h.toString()).isEqualTo(info.height());
                counts[0]++;
            }
        }
        decodedAndEmpty.forEach(
                (kind, c) ->
                        System.out.printf(
                                "| %s | %d decoded to BGR | %d empty (cannot decode) |%n",
                                kind, c[0], c[1]));
        assertThat(decodedAndEmpty.keySet())
                .containsAll(MUST_DECODE)
                .contains("jpeg-flipped-entropy", "seq-duplicate", "ts-future-within-skew");
    }
}
