package io.frameflow.bench;

import java.util.List;
import java.util.Map;

/** Table cells and keys shared by the scenarios' tables. */
final class Cells {

    private Cells() {}

    static String key(String model, String res) {
        return model + "|" + res;
    }

    static String name(String model) {
        return model.replaceAll("\\.onnx$", "");
    }

    static String label(String key) {
        String[] p = key.split("\\|");
        return Cells.name(p[0]) + " " + p[1];
    }

    static String phaseRate(EndToEnd.Phase p) {
        if (p == null) {
            return "–";
        }
        String s = Table.f1(p.rate());
        return p.received() < p.sent() ? s + " (" + p.received() + "/" + p.sent() + " out)" : s;
    }

    static String phaseCells(EndToEnd.Phase p) {
        return p == null ? "–" : p.latency().cells().replace(" | ", " / ");
    }

    static void row(Table t, String model, String res, Double limit, EndToEnd.Result r) {
        t.row(
                model,
                res,
                limit == null ? "–" : Table.f1(limit),
                Table.f1(r.drainFps()),
                Table.f1(r.cpuMsPerFrame()),
                limit == null ? "–" : "**" + Table.f2(r.drainFps() / limit) + "**",
                Cells.phaseRate(r.phase(0)),
                Cells.phaseCells(r.phase(0)),
                Cells.phaseRate(r.phase(1)),
                Cells.phaseCells(r.phase(1)));
    }

    static void addPercentiles(
            Map<String, List<Double>> series, String name, EndToEnd.Result r, int phase) {
        if (r != null && r.phase(phase) != null && r.phase(phase).latency().count() > 0) {
            Latencies l = r.phase(phase).latency();
            series.put(name, List.of(l.p50(), l.p95(), l.p99()));
        }
    }
}
