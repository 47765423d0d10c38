package io.frameflow.producer.produce;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-camera progress: on a terminal one line per camera redrawn in place (frames, fps, MB/s,
 * errors), otherwise a log line per camera every interval. Also prints the final summary.
 */
public final class ProgressReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    /** Up to this many cameras get a progress line each; more get a total and the slowest. */
    static final int MAX_CAMERA_LINES = 12;

    /** Cameras listed under the total: errors first, then the lowest frame rates. */
    static final int SLOWEST = 5;

    private final List<CameraStats> cameras;
    private final boolean terminal;
    private final PrintStream out;
    private final long[] lastAcked;
    private final long[] lastBytes;
    private long lastNanos;
    private final long startNanos;
    private int linesDrawn;

    public ProgressReporter(List<CameraStats> cameras, boolean terminal, PrintStream out) {
        this.cameras = List.copyOf(cameras);
        this.terminal = terminal;
        this.out = out;
        this.lastAcked = new long[cameras.size()];
        this.lastBytes = new long[cameras.size()];
        this.startNanos = System.nanoTime();
        this.lastNanos = startNanos;
    }

    /** Prints the rates since the previous call. */
    public synchronized void tick() {
        long now = System.nanoTime();
        double secs = Math.max(1e-3, (now - lastNanos) / 1e9);
        lastNanos = now;
        List<String> lines = new ArrayList<>();
        double[] fps = new double[cameras.size()];
        double[] mbps = new double[cameras.size()];
        for (int i = 0; i < cameras.size(); i++) {
            CameraStats c = cameras.get(i);
            long acked = c.acked();
            long bytes = c.ackedBytes();
            fps[i] = (acked - lastAcked[i]) / secs;
            mbps[i] = (bytes - lastBytes[i]) / secs / 1e6;
            lastAcked[i] = acked;
            lastBytes[i] = bytes;
        }
        List<Integer> shown = new ArrayList<>();
        if (cameras.size() <= MAX_CAMERA_LINES) {
            for (int i = 0; i < cameras.size(); i++) {
                shown.add(i);
            }
        } else {
            // many cameras: one line for all of them, then the slowest few (errors first)
            lines.add(total(fps, mbps));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < cameras.size(); i++) {
                order.add(i);
            }
            order.sort(
                    Comparator.comparingLong((Integer i) -> -cameras.get(i).errors())
                            .thenComparingDouble(i -> fps[i]));
            shown.addAll(order.subList(0, SLOWEST));
            lines.add("slowest:");
        }
        for (int i : shown) {
            CameraStats c = cameras.get(i);
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%-20s %8d frames %7.1f fps %7.2f MB/s %5d errors%s",
                            c.cameraId(),
                            c.acked(),
                            fps[i],
                            mbps[i],
                            c.errors(),
                            c.reconnects() > 0 ? " " + c.reconnects() + " reconnects" : ""));
        }
        if (terminal) {
            StringBuilder sb = new StringBuilder();
            if (linesDrawn > 0) {
                sb.append("\033[").append(linesDrawn).append('F'); // back to the first line
            }
            for (String line : lines) {
                sb.append("\033[2K").append(line).append('\n');
            }
            out.print(sb);
            out.flush();
            linesDrawn = lines.size();
        } else {
            lines.forEach(line -> LOG.info("progress {}", line));
        }
    }

    /** All cameras in one line: totals, and the spread of their frame rates. */
    private String total(double[] fps, double[] mbps) {
        long frames = 0;
        long errors = 0;
        long reconnects = 0;
        double totalFps = 0;
        double totalMbps = 0;
        for (int i = 0; i < cameras.size(); i++) {
            frames += cameras.get(i).acked();
            errors += cameras.get(i).errors();
            reconnects += cameras.get(i).reconnects();
            totalFps += fps[i];
            totalMbps += mbps[i];
        }
        double[] sorted = fps.clone();
        java.util.Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                "%d cameras %8d frames %7.1f fps %7.2f MB/s %5d errors %d reconnects;"
                        + " fps per camera min %.1f median %.1f max %.1f",
                cameras.size(),
                frames,
                totalFps,
                totalMbps,
                errors,
                reconnects,
                sorted[0],
                sorted[sorted.length / 2],
                sorted[sorted.length - 1]);
    }

    /** The summary table after the run; returns the total of errors. */
    public synchronized long summary(List<SourceWorker> workers) {
        double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nSummary after %.1f s:%n", secs));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%-20s %10s %10s %9s %9s %8s %10s%n",
                        "camera",
                        "sent",
                        "published",
                        "avg fps",
                        "MB",
                        "errors",
                        "reconnects"));
        long errors = 0;
        for (CameraStats c : cameras) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-20s %10d %10d %9.1f %9.2f %8d %10d%n",
                            c.cameraId(),
                            c.sent(),
                            c.acked(),
                            c.acked() / secs,
                            c.ackedBytes() / 1e6,
                            c.errors(),
                            c.reconnects()));
            errors += c.errors();
        }
        for (SourceWorker w : workers) {
            if (w.failure() != null) {
                sb.append(
                        String.format(
                                "FAILED %s (%s): %s%n",
                                w.spec().cameraId(), w.spec().location(), w.failure()));
            }
        }
        out.print(sb);
        out.flush();
        return errors;
    }
}
