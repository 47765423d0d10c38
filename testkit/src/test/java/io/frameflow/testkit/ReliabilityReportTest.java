package io.frameflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReliabilityReportTest {

    private final ReliabilityReport row =
            new ReliabilityReport(
                    "tm-kill", "3 x kill -9\tTM", 1200, 1100, 40, 60, 0, 0, "restarts: 3");

    @Test
    void roundTripsThroughItsTsvLine() {
        ReliabilityReport back = ReliabilityReport.fromTsv(row.toTsv());
        // tabs inside free text are flattened, numbers survive exactly
        assertThat(back.faults()).isEqualTo("3 x kill -9 TM");
        assertThat(back).usingRecursiveComparison().ignoringFields("faults").isEqualTo(row);
    }

    @Test
    void reconcilesOnlyWhenEveryRecordIsAccountedForOnce() {
        assertThat(row.reconciles()).isTrue();
        assertThat(new ReliabilityReport("a", "", 10, 9, 0, 0, 0, 1, "").reconciles()).isFalse();
        assertThat(new ReliabilityReport("a", "", 10, 10, 0, 0, 1, 0, "").reconciles()).isFalse();
        assertThat(new ReliabilityReport("a", "", 10, 9, 0, 0, 0, 0, "").reconciles()).isFalse();
    }

    @Test
    void writesItsRowUnderTheConfiguredDirectory(@TempDir Path dir) throws Exception {
        String before = System.getProperty("frameflow.reliability.dir");
        System.setProperty("frameflow.reliability.dir", dir.toString());
        try {
            Path file = row.write();
            assertThat(file).isEqualTo(dir.resolve("tm-kill.tsv"));
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).containsExactly(ReliabilityReport.HEADER, row.toTsv());
        } finally {
            if (before == null) {
                System.clearProperty("frameflow.reliability.dir");
            } else {
                System.setProperty("frameflow.reliability.dir", before);
            }
        }
    }

    @Test
    void formatsAnAlignedTable() {
        String table = ReliabilityReport.format(List.of(row));
        String[] lines = table.split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("scenario").contains("duplicated");
        assertThat(lines[1]).startsWith("tm-kill").contains("1200").endsWith("restarts: 3");
        assertThat(lines[0].indexOf("published") + "published".length())
                .isEqualTo(lines[1].indexOf("1200") + 4);
    }

    @Test
    void rejectsScenarioNamesThatAreNotFileSafe() {
        assertThatThrownBy(() -> new ReliabilityReport("../x", "", 0, 0, 0, 0, 0, 0, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
