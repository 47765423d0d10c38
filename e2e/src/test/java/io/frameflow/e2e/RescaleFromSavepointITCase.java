package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, "job cancel with savepoint and restart with a different parallelism": the job runs at
 * parallelism 2, is stopped with a savepoint (stop-with-savepoint), resumed from it at parallelism
 * 1, cancelled with a savepoint and resumed at parallelism 2, with frames published between the
 * runs. Per-camera state moves with its key groups:
 *
 * <ul>
 *   <li>the drop policy ({@code --max-fps 2}, frames 250 ms apart: every odd frame is dropped)
 *       remembers each camera's last kept frame, so the first frame after each restore (seq 9, seq
 *       13) is dropped; a policy that lost its state would keep it;
 *   <li>the 1 s stats windows of seq 8-11 and 12-15 straddle the savepoints and are emitted once,
 *       with the frames and drops of both runs.
 * </ul>
 *
 * The committed output (read_committed) holds every kept frame once and every window once.
 */
class RescaleFromSavepointITCase {

    static final Duration WINDOW = FrameFlowCluster.WINDOW;
    static final long SPACING_MS = 250;
    static final Duration TIMEOUT = Duration.ofSeconds(150);

    /**
     * Runs: parallelism, the seqs published before it starts (the last run adds a flush), and how
     * it ends: stop-with-savepoint, cancel-with-savepoint, or still running (the last).
     */
    record Run(int parallelism, long fromSeq, long toSeq, String end) {}

    static final List<Run> RUNS =
            List.of(
                    new Run(2, 0, 8, "stop"),
                    new Run(1, 9, 12, "cancel"),
                    new Run(2, 13, 16, "running"));

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void perCameraStateSurvivesRescaling() throws Throwable {
        FrameFlowCluster cluster = FrameFlowCluster.start("cluster-rescale", 1, 3, List.of());
        try {
            run(cluster);
        } finally {
            cluster.close();
        }
    }

    private void run(FrameFlowCluster cluster) throws Exception {
        String bootstrap = cluster.broker.bootstrapServers();
        Map<String, byte[]> jpegs = new LinkedHashMap<>();
        for (SharedFrame f : SharedFrames.load()) {
            jpegs.putIfAbsent(f.camera(), f.jpeg());
        }
        List<String> cameras = List.copyOf(jpegs.keySet());
        long baseTs = cluster.baseTs;
        long flushSeq = RUNS.get(RUNS.size() - 1).toSeq() + 40;
        long flushTs = baseTs + flushSeq * SPACING_MS;

        String savepoint = null;
        Set<String> expectedKept = new HashSet<>();
        List<String> log = new ArrayList<>();
        for (int i = 0; i < RUNS.size(); i++) {
            Run run = RUNS.get(i);
            boolean last = i == RUNS.size() - 1;
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (long seq = run.fromSeq(); seq <= run.toSeq(); seq++) {
                for (String camera : cameras) {
                    records.add(
                            FrameFlowCluster.frameRecord(
                                    camera, seq, baseTs + seq * SPACING_MS, jpegs.get(camera)));
                    if (seq % 2 == 0) {
                        expectedKept.add(FaultAccounting.frameKey(camera, seq));
                    }
                }
            }
            if (last) {
                for (String camera : cameras) {
                    records.add(
                            FrameFlowCluster.frameRecord(
                                    camera, flushSeq, flushTs, jpegs.get(camera)));
                    expectedKept.add(FaultAccounting.frameKey(camera, flushSeq));
                }
            }
            KafkaTopics.publish(bootstrap, records);
            String job = cluster.runJob(jobArgs(cluster), run.parallelism(), savepoint);
            // every kept frame so far committed before the next savepoint
            List<String> committed = new ArrayList<>();
            FrameFlowCluster.waitFor(
                    expectedKept.size() + " committed detections",
                    TIMEOUT,
                    () -> {
                        FaultAccounting a = new FaultAccounting();
                        a.addDetections(
                                KafkaTopics.read(
                                        bootstrap,
                                        "frames.detections",
                                        expectedKept.size(),
                                        Duration.ofSeconds(5),
                                        Duration.ZERO,
                                        true));
                        committed.clear();
                        committed.addAll(a.detections);
                        return new HashSet<>(a.detections).containsAll(expectedKept);
                    });
            log.add(
                    String.format(
                            "run %d at parallelism %d: seq %d-%d%s from %s, then %s",
                            i + 1,
                            run.parallelism(),
                            run.fromSeq(),
                            run.toSeq(),
                            last ? " + flush" : "",
                            savepoint == null ? "scratch" : "savepoint " + i,
                            run.end()));
            if (run.end().equals("stop")) {
                savepoint = cluster.stopWithSavepoint(job, TIMEOUT);
            } else if (run.end().equals("cancel")) {
                savepoint = cluster.cancelWithSavepoint(job, TIMEOUT);
            } else {
                assertThat(cluster.get("/jobs/" + job).path("state").asText()).isEqualTo("RUNNING");
            }
        }

        // expected windows: 4 frames each (250 ms apart), even seqs inferred, odd seqs dropped
        long lastSeq = RUNS.get(RUNS.size() - 1).toSeq();
        Map<String, String> expectedWindows = new TreeMap<>();
        Map<String, long[]> tally = new TreeMap<>();
        for (String camera : cameras) {
            for (long seq = 0; seq <= lastSeq; seq++) {
                long start = FaultAccounting.windowStart(baseTs + seq * SPACING_MS, WINDOW);
                long[] t =
                        tally.computeIfAbsent(
                                FaultAccounting.windowKey(camera, start), k -> new long[2]);
                t[seq % 2 == 0 ? 0 : 1]++;
            }
        }
        tally.forEach(
                (k, t) -> expectedWindows.put(k, FaultAccounting.inferredDropped(t[0], t[1])));
        long published = cameras.size() * (lastSeq + 2);

        FaultAccounting out = new FaultAccounting();
        out.addDetections(
                KafkaTopics.read(
                        bootstrap,
                        "frames.detections",
                        expectedKept.size(),
                        TIMEOUT,
                        Duration.ofSeconds(4),
                        true));
        out.addStats(
                KafkaTopics.read(
                        bootstrap,
                        "frames.stats",
                        expectedWindows.size(),
                        TIMEOUT,
                        Duration.ofSeconds(4),
                        true));
        out.deadLettered =
                KafkaTopics.read(
                                bootstrap,
                                "frames.dlq",
                                0,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(2),
                                true)
                        .size();
        Map<String, String> actualWindows = out.windowsBefore(flushTs);
        Set<String> processed = new HashSet<>(out.detections);
        long duplicated = out.duplicatedDetections();
        long dropped = out.dropped(flushTs);
        long lost = published - processed.size() - dropped - out.deadLettered;
        List<String> firstAfterRestore = new ArrayList<>();
        for (int i = 1; i < RUNS.size(); i++) {
            for (String camera : cameras) {
                firstAfterRestore.add(FaultAccounting.frameKey(camera, RUNS.get(i).fromSeq()));
            }
        }
        String straddling =
                cameras.get(0)
                        + ": "
                        + actualWindows.get(
                                FaultAccounting.windowKey(
                                        cameras.get(0),
                                        FaultAccounting.windowStart(
                                                baseTs + 8 * SPACING_MS, WINDOW)))
                        + " (seq 8-11), "
                        + actualWindows.get(
                                FaultAccounting.windowKey(
                                        cameras.get(0),
                                        FaultAccounting.windowStart(
                                                baseTs + 12 * SPACING_MS, WINDOW)))
                        + " (seq 12-15)";
        System.out.printf(
                "Savepoint rescale: %s; %d frames published (%d cameras x %d + 1 flush);"
                        + " detections %d (distinct %d, duplicated %d); dropped by --max-fps %d;"
                        + " dead letters %d; stats windows %d for %d expected (duplicated %s);"
                        + " windows across the savepoints %s%n",
                log,
                published,
                cameras.size(),
                lastSeq + 1,
                out.detections.size(),
                processed.size(),
                duplicated,
                dropped,
                out.deadLettered,
                out.windows.size(),
                expectedWindows.size(),
                out.duplicatedWindows(),
                straddling);
        new ReliabilityReport(
                        "savepoint-rescale",
                        "stop-with-savepoint + cancel-with-savepoint, parallelism 2 -> 1 -> 2",
                        published,
                        processed.size(),
                        dropped,
                        out.deadLettered,
                        duplicated,
                        lost,
                        "--max-fps 2 drop state and open windows carried over both rescales")
                .write();

        assertThat(processed)
                .as("committed detections: every even seq and the flush frame, nothing else")
                .isEqualTo(expectedKept);
        assertThat(firstAfterRestore)
                .as("first frame after each restore dropped: drop policy state carried over")
                .noneMatch(processed::contains);
        assertThat(duplicated).as("detections records repeated (camera + seq)").isZero();
        assertThat(out.duplicatedWindows()).as("stats windows emitted twice").isEmpty();
        assertThat(actualWindows)
                .as("every window of every camera once, with frames from both sides of a savepoint")
                .isEqualTo(expectedWindows);
        assertThat(out.deadLettered).as("dead letters").isZero();
        assertThat(lost).as("lost frames").isZero();
    }

    private static List<String> jobArgs(FrameFlowCluster cluster) {
        return cluster.jobArgs(
                "FastestDet.onnx",
                "rescale",
                "1 s",
                "--max-fps",
                "2",
                // state of a camera outlives the pauses between the runs of this test
                "--camera-idle-timeout",
                "10 min");
    }
}
