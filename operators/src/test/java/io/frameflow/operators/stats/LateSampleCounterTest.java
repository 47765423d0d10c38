package io.frameflow.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LateSampleCounterTest {

    @Test
    void countsLateFramesPerCamera() {
        MetricListener listener = new MetricListener();
        var metrics = new LateSampleCounter.Metrics(listener.getMetricGroup());
        assertThat(metrics.count("cam-a")).isTrue();
        assertThat(metrics.count("cam-a")).isFalse();
        assertThat(metrics.count("cam-b")).isTrue();

        assertThat(listener.getCounter("frameflow", "camera", "cam-a", "frames_late"))
                .hasValueSatisfying(c -> assertThat(c.getCount()).isEqualTo(2));
        assertThat(listener.getCounter("frameflow", "camera", "cam-b", "frames_late"))
                .hasValueSatisfying(c -> assertThat(c.getCount()).isEqualTo(1));
    }

    @Test
    void emitsNothing() throws Exception {
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new LateSampleCounter()))) {
            h.open();
            h.processElement(new FrameSample("cam-a", 1_000, false, 10, 5, Map.of(), null), 1_000);
            h.processElement(new FrameSample("cam-b", 1_200, true, 0, 0, Map.of(), null), 1_200);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
