package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelInfoTest {

    /** The version is the SHA-256's first 8 hex digits, as sha256sum prints them. */
    @Test
    void aModelsVersionIsTheStartOfItsSha256() throws Exception {
        Path model = SharedResources.model("yolox_nano.onnx");
        String line =
                Files.readAllLines(model.resolveSibling("SHA256SUMS")).stream()
                        .filter(l -> l.endsWith("yolox_nano.onnx"))
                        .findFirst()
                        .orElseThrow();
        assertThat(ModelInfo.versionOf(model)).isEqualTo(line.substring(0, 8));
        try (Detector d = Detector.open(DetectorSettings.forModel(model).device("cpu").build())) {
            assertThat(d.info().version()).isEqualTo(line.substring(0, 8));
        }
        assertThat(ModelInfo.versionOf(model.resolveSibling("no-such.onnx"))).isEqualTo("unknown");
    }
}
