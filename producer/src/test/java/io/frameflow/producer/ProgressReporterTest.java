package io.frameflow.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.producer.produce.CameraStats;
import io.frameflow.producer.produce.ProgressReporter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void terminalDisplayRedrawsOneLinePerCameraInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<CameraStats> cams = List.of(new CameraStats("cam-a"), new CameraStats("cam-b"));
        ProgressReporter reporter = new ProgressReporter(cams, true, out);
        reporter.tick();
        String first = bytes.toString(StandardCharsets.UTF_8);
        assertThat(first).doesNotContain("\033[2F");
        assertThat(first.split("\n")).hasSize(2);
        assertThat(first)
                .contains("cam-a")
                .contains("cam-b")
                .contains("frames")
                .contains("fps")
                .contains("MB/s")
                .contains("errors");
        bytes.reset();
        reporter.tick();
        // the second frame moves the cursor back over the two lines it drew
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\033[2F\033[2K");
    }

    @Test
    void summaryListsEveryCamera() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressReporter reporter =
                new ProgressReporter(List.of(new CameraStats("cam-a")), false, out);
        assertThat(reporter.summary(List.of())).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("Summary after")
                .containsPattern("cam-a\\s+0\\s+0");
    }
}
