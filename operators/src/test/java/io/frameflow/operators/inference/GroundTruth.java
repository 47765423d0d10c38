package io.frameflow.operators.inference;

import io.frameflow.testkit.SharedResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rows of ../shared/media/ground_truth.csv: eye counts and each model's reference count. */
record GroundTruth(String file, Map<String, String> columns) {

    static List<GroundTruth> load() {
        Path csv = SharedResources.media("ground_truth.csv");
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            List<String> header = parse(lines.get(0));
            List<GroundTruth> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = parse(line);
                Map<String, String> m = new HashMap<>();
                for (int i = 0; i < header.size() && i < cells.size(); i++) {
                    m.put(header.get(i), cells.get(i));
                }
                rows.add(new GroundTruth(cells.get(0), m));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The integer in a column, or null when empty (not assessed). */
    Integer count(String column) {
        if (!columns.containsKey(column)) {
            throw new IllegalArgumentException("no column " + column + " in ground_truth.csv");
        }
        String v = columns.get(column).trim();
        return v.isEmpty() ? null : Integer.valueOf(v);
    }

    byte[] bytes() {
        try {
            return Files.readAllBytes(SharedResources.media(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Minimal RFC-4180 split: commas, double-quoted cells with "" escapes. */
    private static List<String> parse(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }
}
