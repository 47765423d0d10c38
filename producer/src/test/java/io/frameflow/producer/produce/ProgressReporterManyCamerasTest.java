package io.frameflow.producer.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With 100 cameras the progress stays a screenful: a total line and the slowest few. */
class ProgressReporterManyCamerasTest {

    @Test
    void aHundredCamerasGetATotalAndTheSlowestFiveErrorsFirst() {
        List<CameraStats> cams = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            cams.add(new CameraStats(String.format("cam-%03d", i)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressReporter reporter = new ProgressReporter(cams, true, out);
        for (int i = 0; i < 100; i++) {
            // every camera 50 frames but cam-007 (3) and cam-042 (1); cam-090 has errors
            cams.get(i).acked.set(i == 7 ? 3 : i == 42 ? 1 : 50);
            cams.get(i).ackedBytes.set(1_000_000);
        }
        cams.get(90).errors.set(2);
        reporter.tick();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1 + 1 + ProgressReporter.SLOWEST);
        assertThat(lines[0])
                .contains("100 cameras")
                .contains(" 4904 frames")
                .contains("2 errors")
                .contains("fps per camera min");
        assertThat(lines[1]).contains("slowest:");
        assertThat(lines[2]).contains("cam-090").contains("2 errors");
        assertThat(lines[3]).contains("cam-042");
        assertThat(lines[4]).contains("cam-007");
    }

    @Test
    void aFewCamerasStillGetALineEach() {
        List<CameraStats> cams = new ArrayList<>();
        for (int i = 0; i < ProgressReporter.MAX_CAMERA_LINES; i++) {
            cams.add(new CameraStats("cam-" + i));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ProgressReporter(cams, true, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .tick();
        assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n"))
                .hasSize(ProgressReporter.MAX_CAMERA_LINES);
    }
}
