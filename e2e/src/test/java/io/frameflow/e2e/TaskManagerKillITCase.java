package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, "TaskManager killed": the job at parallelism 2 on its own local cluster of two
 * TaskManager JVMs (2 slots each) while six cameras publish 24 frames/s; three times a TaskManager
 * that runs tasks of the job gets {@code kill -9} and a fresh one is started in its place. The job
 * restarts from its last checkpoint each time, and the committed output (read_committed) holds
 * every frame exactly once: every detection once by camera + seq, every stats window once, whose
 * frames + dropped add up to the frames published in it. {@code --max-fps 3} drops every odd frame
 * (250 ms after a kept one), so drops are counted too, and the policy's restored state must keep
 * deciding the same way after each restart: exactly the even seqs are inferred.
 */
class TaskManagerKillITCase {

    static final int KILLS = 3;
    static final Duration WINDOW = FrameFlowCluster.WINDOW;
    static final long SPACING_MS = 250;
    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void everyFrameExactlyOnceAcrossTaskManagerKills() throws Throwable {
        FrameFlowCluster cluster =
                FrameFlowCluster.start(
                        "cluster-tm-kill",
                        2,
                        2 + KILLS + 2,
                        List.of(
                                "taskmanager.numberOfTaskSlots=2",
                                // a killed TaskManager is noticed after two refused heartbeats
                                "heartbeat.interval=2000",
                                "heartbeat.timeout=30000"));
        try {
            run(cluster);
        } finally {
            cluster.close();
        }
    }

    private void run(FrameFlowCluster cluster) throws Exception {
        String bootstrap = cluster.broker.bootstrapServers();
        List<SharedFrame> frames = SharedFrames.load();
        long baseTs = FaultAccounting.windowStart(System.currentTimeMillis(), WINDOW);
        String job = cluster.runJob(jobArgs(cluster), 2, null);
        long started = System.nanoTime();
        PacedFramePublisher publisher =
                new PacedFramePublisher(bootstrap, frames, baseTs, SPACING_MS);
        List<String> kills = new ArrayList<>();
        try {
            FrameFlowCluster.waitFor(
                    "a first completed checkpoint",
                    TIMEOUT,
                    () -> cluster.completedCheckpoints(job) >= 1);
            for (int k = 1; k <= KILLS; k++) {
                // at least one checkpoint with frames in it since the last restart
                long checkpoints = cluster.completedCheckpoints(job);
                FrameFlowCluster.waitFor(
                        "a checkpoint before kill " + k,
                        TIMEOUT,
                        () -> cluster.completedCheckpoints(job) > checkpoints);
                Set<String> busy = cluster.taskManagersOf(job);
                assertThat(busy).as("TaskManagers running tasks of the job").isNotEmpty();
                String victim = busy.iterator().next();
                long restarts = cluster.numRestarts(job);
                long killedAt = System.nanoTime();
                cluster.taskManagerScript("kill", victim);
                kills.add(victim + " @ frame round " + publisher.rounds());
                // spare slots for the next kill (the job restarts on the survivor meanwhile)
                cluster.taskManagerScript("start");
                FrameFlowCluster.waitFor(
                        "restart " + k + " after killing " + victim,
                        TIMEOUT,
                        () -> cluster.numRestarts(job) > restarts);
                cluster.awaitRunning(job, TIMEOUT);
                System.out.printf(
                        "kill %d: %s (kill -9), job RUNNING again after %.1f s, on %s%n",
                        k,
                        victim,
                        (System.nanoTime() - killedAt) / 1e9,
                        cluster.taskManagersOf(job));
            }
            long checkpoints = cluster.completedCheckpoints(job);
            FrameFlowCluster.waitFor(
                    "a checkpoint after the last restart",
                    TIMEOUT,
                    () -> cluster.completedCheckpoints(job) > checkpoints);
        } finally {
            publisher.close();
        }
        long rounds = publisher.stop();
        List<String> cameras = publisher.cameras();
        long restarts = cluster.numRestarts(job);

        // one frame per camera 10 s later: its watermark fires every window of the frames above
        long flushSeq = rounds + 40;
        long flushTs = publisher.captureTs(flushSeq);
        List<ProducerRecord<byte[], byte[]>> flush = new ArrayList<>();
        for (String camera : cameras) {
            byte[] jpeg =
                    frames.stream()
                            .filter(f -> f.camera().equals(camera))
                            .findFirst()
                            .orElseThrow()
                            .jpeg();
            flush.add(FrameFlowCluster.frameRecord(camera, flushSeq, flushTs, jpeg));
        }
        KafkaTopics.publish(bootstrap, flush);

        // --max-fps 3 with frames 250 ms apart: even seqs inferred, odd seqs dropped, whatever
        // restarts happened in between (the policy's state is restored with the offsets)
        Set<String> published = new HashSet<>();
        Set<String> kept = new HashSet<>();
        Map<String, long[]> tally = new TreeMap<>();
        for (String camera : cameras) {
            for (long seq = 0; seq < rounds; seq++) {
                published.add(FaultAccounting.frameKey(camera, seq));
                if (seq % 2 == 0) {
                    kept.add(FaultAccounting.frameKey(camera, seq));
                }
                long start = FaultAccounting.windowStart(publisher.captureTs(seq), WINDOW);
                tally.computeIfAbsent(FaultAccounting.windowKey(camera, start), k -> new long[2])[
                        (int) (seq % 2)]++;
            }
            published.add(FaultAccounting.frameKey(camera, flushSeq));
            kept.add(FaultAccounting.frameKey(camera, flushSeq));
        }
        Map<String, String> expectedWindows = new TreeMap<>();
        tally.forEach(
                (k, t) -> expectedWindows.put(k, FaultAccounting.inferredDropped(t[0], t[1])));

        FaultAccounting out = new FaultAccounting();
        out.addDetections(
                KafkaTopics.read(
                        bootstrap,
                        "frames.detections",
                        kept.size(),
                        TIMEOUT,
                        Duration.ofSeconds(5),
                        true));
        out.addStats(
                KafkaTopics.read(
                        bootstrap,
                        "frames.stats",
                        expectedWindows.size(),
                        TIMEOUT,
                        Duration.ofSeconds(5),
                        true));
        out.deadLettered =
                KafkaTopics.read(
                                bootstrap,
                                "frames.dlq",
                                0,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(3),
                                true)
                        .size();
        String state = cluster.get("/jobs/" + job).path("state").asText();
        double seconds = (System.nanoTime() - started) / 1e9;

        Set<String> processed = new HashSet<>(out.detections);
        processed.retainAll(published);
        long duplicated = out.duplicatedDetections();
        long dropped = out.dropped(flushTs);
        long lost = published.size() - processed.size() - dropped - out.deadLettered;
        Set<String> missing = new HashSet<>(kept);
        missing.removeAll(out.detections);
        Set<String> unexpected = new HashSet<>(out.detections);
        unexpected.removeAll(kept);
        Map<String, String> actualWindows = out.windowsBefore(flushTs);

        System.out.printf(
                "TaskManager kill: %d cameras x %d rounds (+1 flush frame each) = %d frames"
                        + " published at %d frames/s over %.0f s; kills: %s; job restarts: %d;"
                        + " detections records: %d (distinct %d, duplicated %d, missing %d,"
                        + " unexpected %d);"
                        + " stats windows: %d records for %d expected (duplicated %s),"
                        + " frames in windows %d, dropped %d; dead letters: %d; final state %s%n",
                cameras.size(),
                rounds,
                published.size(),
                cameras.size() * 1000 / SPACING_MS,
                seconds,
                kills,
                restarts,
                out.detections.size(),
                new HashSet<>(out.detections).size(),
                duplicated,
                missing.size(),
                unexpected.size(),
                out.windows.size(),
                expectedWindows.size(),
                out.duplicatedWindows(),
                out.framesInWindows(flushTs),
                dropped,
                out.deadLettered,
                state);
        new ReliabilityReport(
                        "taskmanager-kill",
                        KILLS + " x kill -9 of a TaskManager running the job",
                        published.size(),
                        processed.size(),
                        dropped,
                        out.deadLettered,
                        duplicated,
                        lost,
                        String.format(
                                "standalone cluster, 2 TaskManagers, parallelism 2, %d cameras at"
                                        + " %d fps each, --max-fps 3, %d job restarts, %d stats"
                                        + " windows each once",
                                cameras.size(),
                                1000 / SPACING_MS,
                                restarts,
                                expectedWindows.size()))
                .write();

        assertThat(restarts).as("job restarts (numRestarts)").isGreaterThanOrEqualTo(KILLS);
        assertThat(state).as("job state at the end").isEqualTo("RUNNING");
        assertThat(missing).as("kept frames without a committed detections record").isEmpty();
        assertThat(unexpected)
                .as("detections of frames the drop policy drops, or never published")
                .isEmpty();
        assertThat(duplicated).as("detections records repeated (camera + seq)").isZero();
        assertThat(out.deadLettered).as("dead letters (all frames are valid JPEGs)").isZero();
        assertThat(out.duplicatedWindows()).as("stats windows emitted twice").isEmpty();
        assertThat(actualWindows)
                .as("every window of every camera once, all its frames inferred or dropped")
                .isEqualTo(expectedWindows);
        assertThat(lost).as("lost frames").isZero();
    }

    private static List<String> jobArgs(FrameFlowCluster cluster) {
        return cluster.jobArgs(
                "FastestDet.onnx",
                "tm-kill",
                "2 s",
                "--max-fps",
                "3",
                "--camera-idle-timeout",
                "10 min");
    }
}
