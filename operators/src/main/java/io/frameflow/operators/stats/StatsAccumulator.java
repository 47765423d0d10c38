package io.frameflow.operators.stats;

import io.frameflow.records.WindowStats;
import io.frameflow.records.WindowStats.ClassCount;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running totals of one camera window. A public POJO with the latency sketches as bytes, so Flink
 * serializes it field by field (no Kryo) in state and checkpoints.
 */
public class StatsAccumulator {

    /** Frames inferred. */
    public long frames;

    /** Frames dropped by the drop policy. */
    public long dropped;

    /** Per-class tallies over the frames that had at least one object of that class. */
    public Map<String, ClassTally> classes = new HashMap<>();

    /** {@link LatencySketch} of end-to-end latency. */
    public byte[] latencySketch;

    /** {@link LatencySketch} of inference time. */
    public byte[] inferenceSketch;

    public StatsAccumulator() {}

    /** Per-class count per frame, over the frames where the class appeared. */
    public static class ClassTally {
        public long sum;
        public int max;
        public int min;
        public long framesSeen;

        public ClassTally() {}

        void add(int count) {
            sum += count;
            max = framesSeen == 0 ? count : Math.max(max, count);
            min = framesSeen == 0 ? count : Math.min(min, count);
            framesSeen++;
        }

        void merge(ClassTally o) {
            if (o.framesSeen == 0) {
                return;
            }
            max = framesSeen == 0 ? o.max : Math.max(max, o.max);
            min = framesSeen == 0 ? o.min : Math.min(min, o.min);
            sum += o.sum;
            framesSeen += o.framesSeen;
        }
    }

    public void add(FrameSample sample) {
        if (sample.dropped()) {
            dropped++;
            return;
        }
        frames++;
        for (Map.Entry<String, Integer> e : sample.counts().entrySet()) {
            if (e.getValue() > 0) {
                classes.computeIfAbsent(e.getKey(), k -> new ClassTally()).add(e.getValue());
            }
        }
        latencySketch = LatencySketch.record(latencySketch, sample.latencyMs());
        inferenceSketch = LatencySketch.record(inferenceSketch, sample.inferenceMs());
    }

    public StatsAccumulator merge(StatsAccumulator o) {
        frames += o.frames;
        dropped += o.dropped;
        for (Map.Entry<String, ClassTally> e : o.classes.entrySet()) {
            classes.computeIfAbsent(e.getKey(), k -> new ClassTally()).merge(e.getValue());
        }
        latencySketch = LatencySketch.merge(latencySketch, o.latencySketch);
        inferenceSketch = LatencySketch.merge(inferenceSketch, o.inferenceSketch);
        return this;
    }

    /**
     * The window's stats. A class absent from some frames counted zero on them, so its min is 0 and
     * its average is over all inferred frames.
     */
    public WindowStats toStats(String camera, long windowStart, long windowEnd) {
        Map<String, ClassCount> counts = new TreeMap<>();
        for (Map.Entry<String, ClassTally> e : classes.entrySet()) {
            ClassTally t = e.getValue();
            int min = t.framesSeen < frames ? 0 : t.min;
            double avg = frames == 0 ? 0 : (double) t.sum / frames;
            counts.put(e.getKey(), new ClassCount(avg, t.max, min));
        }
        double seconds = (windowEnd - windowStart) / 1000.0;
        double fps = seconds > 0 ? frames / seconds : 0;
        return new WindowStats(
                camera,
                windowStart,
                windowEnd,
                frames,
                fps,
                dropped,
                counts,
                LatencySketch.percentiles(latencySketch),
                LatencySketch.percentiles(inferenceSketch));
    }
}
