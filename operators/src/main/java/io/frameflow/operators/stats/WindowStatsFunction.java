package io.frameflow.operators.stats;

import io.frameflow.records.WindowStats;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a fired window's accumulator into {@link WindowStats} with camera and window bounds. */
public class WindowStatsFunction
        extends ProcessWindowFunction<StatsAccumulator, WindowStats, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String camera,
            Context ctx,
            Iterable<StatsAccumulator> accumulators,
            Collector<WindowStats> out) {
        for (StatsAccumulator acc : accumulators) { // exactly one: the pre-aggregated value
            out.collect(acc.toStats(camera, ctx.window().getStart(), ctx.window().getEnd()));
        }
    }
}
