package io.frameflow.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A table of CPU ms per output frame by thread group, a column per variant (the median of its
 * rounds), and the whole JVM's CPU per frame as the last row.
 */
final class CpuByGroupTable {

    private CpuByGroupTable() {}

    static void print(
            String title, String groupHeader, Map<String, List<EndToEnd.Result>> variants) {
        Set<String> groups = new LinkedHashSet<>();
        variants.values().forEach(rs -> rs.forEach(r -> groups.addAll(r.cpuByGroup().keySet())));
        List<String> cols = new ArrayList<>(List.of(groupHeader));
        cols.addAll(variants.keySet());
        Table t = new Table(title, cols.toArray(String[]::new));
        for (String g : groups) {
            List<Object> row = new ArrayList<>(List.of(g));
            for (List<EndToEnd.Result> rounds : variants.values()) {
                row.add(Table.f2(median(rounds, r -> r.cpuByGroup().getOrDefault(g, 0.0))));
            }
            t.row(row.toArray());
        }
        List<Object> total = new ArrayList<>(List.of("**total**"));
        for (List<EndToEnd.Result> rounds : variants.values()) {
            total.add("**" + Table.f1(median(rounds, EndToEnd.Result::cpuMsPerFrame)) + "**");
        }
        t.row(total.toArray());
        t.print();
    }

    private static double median(
            List<EndToEnd.Result> rounds, ToDoubleFunction<EndToEnd.Result> value) {
        List<Double> xs = new ArrayList<>();
        rounds.forEach(r -> xs.add(value.applyAsDouble(r)));
        return Spread.median(xs);
    }
}
