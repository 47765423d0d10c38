package io.frameflow.operators.stats;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds a camera's frames and drops into a {@link StatsAccumulator}, incrementally. */
public class WindowStatsAggregate
        implements AggregateFunction<FrameSample, StatsAccumulator, StatsAccumulator> {

    private static final long serialVersionUID = 1L;

    @Override
    public StatsAccumulator createAccumulator() {
        return new StatsAccumulator();
    }

    @Override
    public StatsAccumulator add(FrameSample sample, StatsAccumulator acc) {
        acc.add(sample);
        return acc;
    }

    @Override
    public StatsAccumulator getResult(StatsAccumulator acc) {
        return acc;
    }

    @Override
    public StatsAccumulator merge(StatsAccumulator a, StatsAccumulator b) {
        return a.merge(b);
    }
}
