package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.SharedResources;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every shipped model on all 108 images and frames of ground_truth.csv, through the detector
 * (OpenCV decode, reduced JPEG decoding, preprocessing, ORT, decoder, NMS), compared with the
 * reference decoding's count column and with the eye counts.
 */
class ModelAccuracyTest {

    private static final Logger LOG = LoggerFactory.getLogger(ModelAccuracyTest.class);

    private static List<GroundTruth> rows;

    @BeforeAll
    static void loadRows() {
        rows = GroundTruth.load();
        assertThat(rows).hasSize(108);
    }

    /** Counts per row for one model and label, formatted agreement figures logged. */
    private static List<Integer> counts(String model, String label) throws Exception {
        DetectorSettings settings =
                DetectorSettings.forModel(SharedResources.model(model))
                        .device("cpu")
                        .threads(1, 1)
                        .build();
        List<Integer> out = new ArrayList<>();
        try (Detector detector = Detector.open(settings)) {
            for (GroundTruth row : rows) {
                out.add((int) detector.detect(row.bytes()).count(label));
            }
        }
        return out;
    }

    private static int agreeing(List<Integer> counts, String column, StringBuilder misses) {
        int agree = 0;
        for (int i = 0; i < rows.size(); i++) {
            Integer expected = rows.get(i).count(column);
            if (expected == null) {
                continue;
            }
            if (expected.equals(counts.get(i))) {
                agree++;
            } else {
                misses.append(
                        String.format(
                                "%n  %s: %s=%d, engine=%d",
                                rows.get(i).file(), column, expected, counts.get(i)));
            }
        }
        return agree;
    }

    private static int assessed(String column) {
        return (int) rows.stream().filter(r -> r.count(column) != null).count();
    }

    private static void assertAgreement(
            String model, List<Integer> counts, String column, double atLeast) {
        StringBuilder misses = new StringBuilder();
        int agree = agreeing(counts, column, misses);
        int total = assessed(column);
        LOG.info("{} vs {}: {}/{} rows agree{}", model, column, agree, total, misses);
        assertThat((double) agree / total)
                .as("%s count == %s on %d/%d rows%s", model, column, agree, total, misses)
                .isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void yoloxNanoPersons() throws Exception {
        List<Integer> c = counts("yolox_nano.onnx", "person");
        assertAgreement("yolox_nano", c, "yolox_nano_person@0.30", 0.95);
        assertAgreement("yolox_nano", c, "persons_by_eye", 0.85);
    }

    @Test
    void yolov8nInt8Persons() throws Exception {
        List<Integer> c = counts("yolov8n_int8.onnx", "person");
        assertAgreement("yolov8n_int8", c, "yolov8n_int8_person@0.25", 0.95);
    }

    @Test
    void fastestDetPersons() throws Exception {
        List<Integer> c = counts("FastestDet.onnx", "person");
        assertAgreement("FastestDet", c, "fastestdet_person@0.65", 0.95);
    }

    @Test
    void ultraFaceFaces() throws Exception {
        List<Integer> c = counts("version-RFB-320.onnx", "face");
        assertAgreement("RFB-320", c, "rfb320_face@0.70", 0.95);
    }

    @Test
    void yunetFaces() throws Exception {
        List<Integer> c = counts("yunet_n_dynamic.onnx", "face");
        assertAgreement("yunet", c, "yunet_face@0.50", 0.95);
        assertAgreement("yunet", c, "faces_by_eye", 0.90);
    }
}
