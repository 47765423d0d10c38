package io.frameflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table printed to stdout and appended to the results file. */
public final class Table {

    private static Path resultsFile;

    private final String title;
    private final String header;
    private final List<String> rows = new ArrayList<>();

    public Table(String title, String... columns) {
        this.title = title;
        this.header = "| " + String.join(" | ", columns) + " |";
    }

    static void resultsFile(Path file) {
        resultsFile = file;
    }

    public void row(Object... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (Object c : cells) {
            sb.append(' ').append(c).append(" |");
        }
        rows.add(sb.toString());
        System.out.println("  " + sb); // progress, while the scenario runs
    }

    public void print() {
        StringBuilder sb = new StringBuilder();
        sb.append("\n### ").append(title).append("\n\n").append(header).append('\n');
        sb.append(header.replaceAll("[^|]+", "---")).append('\n');
        rows.forEach(r -> sb.append(r).append('\n'));
        System.out.print(sb);
        System.out.flush();
        note(sb.toString());
    }

    /** Appends free text to the results file. */
    static void note(String text) {
        if (resultsFile == null) {
            return;
        }
        try {
            Files.writeString(
                    resultsFile,
                    text.endsWith("\n") ? text : text + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String f0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
