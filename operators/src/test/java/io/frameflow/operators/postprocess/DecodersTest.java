package io.frameflow.operators.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameflow.operators.inference.layout.UltralyticsLayout;
import io.frameflow.operators.inference.layout.Yolov5Layout;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoders on hand-made output tensors, for layouts without a shipped model (YOLOv5). */
class DecodersTest {

    @Test
    void yolov5RowsMultiplyObjectnessAndClassProbability() {
        // 2 frames x 2 rows x (5 + 3 classes)
        float[] out = {
            // frame 0
            100, 50, 20, 40, 0.9f, 0.1f, 0.8f, 0.1f, // class 1, score 0.72
            10, 10, 4, 4, 0.2f, 0.9f, 0.0f, 0.0f, // score 0.18: dropped
            // frame 1
            30, 30, 10, 10, 0.5f, 0.0f, 0.0f, 1.0f, // class 2, score 0.5
            0, 0, 0, 0, 0.0f, 0.0f, 0.0f, 0.0f
        };
        Yolov5Layout.Decoder d = new Yolov5Layout.Decoder(2, 8);
        List<Candidate> c0 = new ArrayList<>();
        d.decode(new FloatBuffer[] {FloatBuffer.wrap(out)}, 0, 0.25f, c0);
        assertThat(c0)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.classId()).isEqualTo(1);
                            assertThat(c.score()).isCloseTo(0.72f, within(1e-6f));
                            assertThat(c.x1()).isEqualTo(90f);
                            assertThat(c.y2()).isEqualTo(70f);
                        });
        List<Candidate> c1 = new ArrayList<>();
        d.decode(new FloatBuffer[] {FloatBuffer.wrap(out)}, 1, 0.25f, c1);
        assertThat(c1).singleElement().satisfies(c -> assertThat(c.classId()).isEqualTo(2));
    }

    @Test
    void ultralyticsIsChannelMajor() {
        // 1 frame, 4 + 2 classes, 3 anchors: [6][3]
        float[] out = {
            10,
            20,
            30, // cx
            10,
            20,
            30, // cy
            4,
            4,
            4, // w
            2,
            2,
            2, // h
            0.1f,
            0.6f,
            0.2f, // class 0
            0.3f,
            0.1f,
            0.9f // class 1
        };
        List<Candidate> c = new ArrayList<>();
        new UltralyticsLayout.Decoder(6, 3)
                .decode(new FloatBuffer[] {FloatBuffer.wrap(out)}, 0, 0.25f, c);
        assertThat(c).hasSize(3);
        assertThat(c.get(1).classId()).isZero();
        assertThat(c.get(1).x1()).isEqualTo(18f);
        assertThat(c.get(2).classId()).isEqualTo(1);
        assertThat(c.get(2).score()).isEqualTo(0.9f);
    }

    @Test
    void nmsSuppressesOverlapsAgnosticOrPerClass() {
        Candidate a = new Candidate(0, 0, 10, 10, 0.9f, 0, null);
        Candidate b = new Candidate(1, 1, 11, 11, 0.8f, 1, null); // IoU with a = 81/119
        Candidate c = new Candidate(50, 50, 60, 60, 0.7f, 0, null);
        assertThat(Nms.suppress(List.of(c, b, a), 0.45f, false)).containsExactly(a, c);
        assertThat(Nms.suppress(List.of(c, b, a), 0.45f, true)).containsExactly(a, b, c);
        assertThat(a.iou(b)).isCloseTo(81f / 119f, within(1e-6f));
    }
}
