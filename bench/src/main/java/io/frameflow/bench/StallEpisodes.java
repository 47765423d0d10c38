package io.frameflow.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The slowest frames of a phase grouped into stalls (slow frames captured less than 500 ms apart
 * belong to one), each with the events around its start: checkpoint triggers, last acknowledgements
 * and completions (after which the Kafka transactions commit), and GC pauses, with their times
 * relative to the stall's first slow frame. A cause shows as the same event at about the same
 * offset before every stall.
 */
final class StallEpisodes {

    private StallEpisodes() {}

    /** Something that happened at {@code atMs}, for the listing. */
    record Event(long atMs, String what) {}

    /** One stall: first slow frame's capture, the slowest latency, frames in it, events near. */
    record Stall(long startMs, long maxLatencyMs, int frames, List<String> near) {}

    /**
     * @param frames {@code {capture, arrival}} per frame
     * @param slowMs a frame this slow or slower is part of a stall
     * @param events what happened, any order
     * @param top how many stalls to return, slowest first
     */
    static List<Stall> of(List<long[]> frames, long slowMs, List<Event> events, int top) {
        List<long[]> slow = new ArrayList<>();
        for (long[] f : frames) {
            if (f[1] - f[0] >= slowMs) {
                slow.add(f);
            }
        }
        slow.sort(Comparator.comparingLong(f -> f[0]));
        List<Stall> stalls = new ArrayList<>();
        int i = 0;
        while (i < slow.size()) {
            int j = i;
            long max = 0;
            while (j < slow.size() && (j == i || slow.get(j)[0] - slow.get(j - 1)[0] < 500)) {
                max = Math.max(max, slow.get(j)[1] - slow.get(j)[0]);
                j++;
            }
            long start = slow.get(i)[0];
            List<String> near = new ArrayList<>();
            for (Event e : events) {
                long d = e.atMs() - start;
                if (d >= -2_000 && d <= max) { // before the stall, or while it lasted
                    near.add(e.what() + " " + String.format("%+.2f s", d / 1000.0));
                }
            }
            stalls.add(new Stall(start, max, j - i, near));
            i = j;
        }
        stalls.sort(Comparator.comparingLong(Stall::maxLatencyMs).reversed());
        return stalls.subList(0, Math.min(top, stalls.size()));
    }
}
