package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.testkit.SharedResources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing or corrupt model fails {@link FrameFlowJob#main} at start-up, on the client, before a
 * Flink job exists: the bootstrap servers point nowhere, so getting past the checks would hang in
 * Kafka instead of failing with the model's message.
 */
class ModelFailureTest {

    @TempDir Path dir;

    private static String[] args(Path model) {
        return new String[] {
            "--bootstrap-servers", "127.0.0.1:1", "--model", model.toString(), "--device", "cpu"
        };
    }

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return err.toString();
    }

    @Test
    void missingModelFileFailsStartUpNamingTheFileAndWhereToGetOne() {
        Path missing = dir.resolve("no-such-model.onnx");
        assertThatThrownBy(() -> FrameFlowJob.main(args(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No model at " + missing.toAbsolutePath())
                .hasMessageContaining("--model")
                .hasMessageContaining("yolo export");
    }

    @Test
    void randomBytesModelFailsStartUpSayingTheFileIsNotAnOnnxModel() throws Exception {
        Path corrupt = dir.resolve("random.onnx");
        byte[] bytes = new byte[64 * 1024];
        new Random(8).nextBytes(bytes);
        Files.write(corrupt, bytes);
        String[] err = new String[1];
        err[0] =
                stderrOf(
                        () ->
                                assertThatThrownBy(() -> FrameFlowJob.main(args(corrupt)))
                                        .isInstanceOf(IllegalArgumentException.class)
                                        .hasMessageContaining(corrupt.toAbsolutePath().toString())
                                        .hasMessageContaining("not a valid ONNX model")
                                        .hasMessageContaining("--model"));
        org.assertj.core.api.Assertions.assertThat(err[0])
                .contains(corrupt.toAbsolutePath().toString())
                .contains("Run with --help")
                .doesNotContain("\tat ai.onnxruntime");
    }

    @Test
    void truncatedCopyOfARealModelFailsStartUpTheSameWay() throws Exception {
        byte[] real = Files.readAllBytes(SharedResources.model("yolox_nano.onnx"));
        Path truncated = dir.resolve("yolox_nano_truncated.onnx");
        Files.write(truncated, Arrays.copyOf(real, real.length / 2));
        assertThatThrownBy(() -> FrameFlowJob.main(args(truncated)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(truncated.toAbsolutePath().toString())
                .hasMessageContaining("not a valid ONNX model")
                .hasMessageContaining("--model");
    }

    @Test
    void emptyModelFileFailsStartUp() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        assertThatThrownBy(() -> FrameFlowJob.main(args(empty)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toAbsolutePath().toString())
                .hasMessageContaining("--model");
    }

    private static String[] withClassifier(Path classifier, String... more) {
        String[] base = args(SharedResources.model("yolox_nano.onnx"));
        String[] out = Arrays.copyOf(base, base.length + 2 + more.length);
        out[base.length] = "--classifier";
        out[base.length + 1] = classifier.toString();
        System.arraycopy(more, 0, out, base.length + 2, more.length);
        return out;
    }

    @Test
    void aDetectorGivenAsClassifierFailsStartUpSayingWhatAClassifierLooksLike() {
        Path detector = SharedResources.model("yunet_n_dynamic.onnx");
        assertThatThrownBy(() -> FrameFlowJob.main(withClassifier(detector)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(detector.toString())
                .hasMessageContaining("expected one image input [N, 3, H, W] and an output [N, C]");
    }

    @Test
    void classifierClassesNoModelDetectsFailStartUpNamingTheModelsLabels() {
        Path classifier =
                io.frameflow.testkit.TinyOnnxModels.writeDominantColour(
                        dir.resolve("colour.onnx"), 32, 0, false, java.util.Map.of());
        assertThatThrownBy(
                        () ->
                                FrameFlowJob.main(
                                        withClassifier(
                                                classifier, "--classifier-classes", "persn")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--classifier-classes [persn]: no model of this job detects")
                .hasMessageContaining("person");
    }

    @Test
    void aMissingClassifierFailsStartUpNamingIt() {
        Path missing = dir.resolve("no-classifier.onnx");
        assertThatThrownBy(() -> FrameFlowJob.main(withClassifier(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--classifier " + missing + " does not exist");
    }
}
