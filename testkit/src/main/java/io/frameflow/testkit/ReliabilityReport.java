package io.frameflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the reliability summary (issue 8): what a fault test injected and how every published
 * record was accounted for. Each fault test writes its row to {@code
 * target/reliability/<scenario>.tsv} of its module; {@code scripts/reliability-summary.sh} prints
 * all rows as one table at the end of {@code .ci/run}.
 *
 * <p>{@code published} counts records written to the input topic; {@code processed} those that came
 * out as detections, {@code dropped} those the drop policy counted, {@code deadLettered} those on
 * the dead-letter topic. {@code lost} and {@code duplicated} must be 0; the test asserts that
 * itself, the row only reports it.
 */
public record ReliabilityReport(
        String scenario,
        String faults,
        long published,
        long processed,
        long dropped,
        long deadLettered,
        long duplicated,
        long lost,
        String notes) {

    /**
     * Directory of the rows: {@code frameflow.reliability.dir}, else {@code target/reliability}.
     */
    public static Path directory() {
        String configured = System.getProperty("frameflow.reliability.dir");
        return Paths.get(
                        configured == null || configured.isBlank()
                                ? "target/reliability"
                                : configured)
                .toAbsolutePath();
    }

    public static final String HEADER =
            "scenario\tfaults injected\tpublished\tprocessed\tdropped\tdead-lettered\tduplicated"
                    + "\tlost\tnotes";

    public ReliabilityReport {
        if (scenario == null || !scenario.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "scenario must be lower-case words joined by '-': " + scenario);
        }
    }

    /** {@code published == processed + dropped + deadLettered} and nothing lost or repeated. */
    public boolean reconciles() {
        return lost == 0 && duplicated == 0 && published == processed + dropped + deadLettered;
    }

    public String toTsv() {
        return String.join(
                "\t",
                scenario,
                clean(faults),
                Long.toString(published),
                Long.toString(processed),
                Long.toString(dropped),
                Long.toString(deadLettered),
                Long.toString(duplicated),
                Long.toString(lost),
                clean(notes));
    }

    public static ReliabilityReport fromTsv(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 9) {
            throw new IllegalArgumentException("expected 9 tab-separated fields: " + line);
        }
        return new ReliabilityReport(
                f[0],
                f[1],
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                Long.parseLong(f[7]),
                f[8]);
    }

    /** Writes the row to {@link #directory()} and prints it; returns the file. */
    public Path write() {
        try {
            Path dir = directory();
            Files.createDirectories(dir);
            Path file = dir.resolve(scenario + ".tsv");
            Files.writeString(file, HEADER + "\n" + toTsv() + "\n", StandardCharsets.UTF_8);
            System.out.println(format(List.of(this)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows as an aligned plain-text table. */
    public static String format(List<ReliabilityReport> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER.split("\t"));
        for (ReliabilityReport r : rows) {
            cells.add(r.toTsv().split("\t", -1));
        }
        int[] width = new int[9];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 2 && i <= 7;
                String fmt = "%" + (numeric ? "" : "-") + width[i] + "s";
                out.append(String.format(Locale.ROOT, fmt, row[i]));
                out.append(i + 1 < row.length ? "  " : "\n");
            }
        }
        return out.toString();
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').strip();
    }
}
