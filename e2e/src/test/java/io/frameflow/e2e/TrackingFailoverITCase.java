package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.json.DetectionsJson;
import io.frameflow.records.json.EventsJson;
import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.ReliabilityReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, "exactly-once: a TaskManager kill -9 in the middle of a clip, then events and track ids
 * identical to an undisturbed run", and the same across a rescale from a savepoint.
 *
 * <p>The first 60 s of {@code one-by-one-person-detection.mp4} at 5 fps (300 frames, decoded by
 * ffmpeg) as one camera, with the line and zone of {@code RealClipEventsTest} given by {@code
 * --camera-config}. By eye (see that test): person 1 walks in, stands at the table and leaves
 * through the exit at about 19 s, person 2 likewise at about 44 s, person 3 walks in at about 51 s
 * and is still at the table when the excerpt ends.
 *
 * <p>The jar runs twice on a standalone cluster of two TaskManagers. First undisturbed: {@code
 * --bounded}, parallelism 2, over the whole excerpt published up front. Then live: parallelism 2
 * while the frames are published about 7 a second (capture times 200 ms apart, as above); a
 * TaskManager running the job gets {@code kill -9} (a fresh one replaces it); once the job runs
 * again, {@link #BURST} frames are published at once and the job is stopped with a savepoint right
 * away and resumed from it at parallelism 1 (a rescale, with frames in flight); then a TaskManager
 * running the resumed job gets {@code kill -9}, and the rest is published. The committed output
 * (read_committed) of the second run must equal the first: the frames in capture order, every
 * frame's track ids, in order, and every event, in order, once.
 */
class TrackingFailoverITCase {

    static final String CAMERA = "one-by-one";
    static final int FRAMES = 300;
    static final long CAPTURE_SPACING_MS = 200;
    static final long PUBLISH_SPACING_MS = 150;

    /**
     * Frames published at once right before the stop-with-savepoint: more than the job infers in
     * the time a savepoint takes to start, so the detect stage has frames in flight on both
     * subtasks when it is taken, which the resume at parallelism 1 replays in one subtask (where
     * Flink's own async operator once let a restored watermark overtake them:
     * RescaleSafeAsyncWait).
     */
    static final int BURST = 60;

    static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** The exit line and the table zone of {@code RealClipEventsTest}. */
    static final String CAMERA_CONFIG =
            "{\""
                    + CAMERA
                    + "\":{\"site\":\"office\","
                    + "\"lines\":[{\"name\":\"exit\",\"points\":[[0.75,0.0],[0.75,1.0]]}],"
                    + "\"zones\":[{\"name\":\"table\",\"polygon\":[[0.3,0.6],[0.7,0.6],[0.7,1.0],"
                    + "[0.3,1.0]],\"loiterSeconds\":8}]}}";

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void trackIdsAndEventsAcrossKillsAndARescaleAreThoseOfAnUndisturbedRun() throws Throwable {
        ClipFrames.requireFfmpeg();
        FrameFlowCluster cluster =
                FrameFlowCluster.start(
                        "cluster-tracking",
                        2,
                        2 + 2 + 2 + 2,
                        List.of(
                                "taskmanager.numberOfTaskSlots=2",
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
        Path work = Files.createDirectories(cluster.runDir.resolve("tracking"));
        Path config = work.resolve("cameras.json");
        Files.writeString(config, CAMERA_CONFIG);
        List<byte[]> jpegs =
                ClipFrames.decode(
                                "one-by-one-person-detection.mp4",
                                Files.createDirectories(work.resolve("frames")),
                                2)
                        .subList(0, FRAMES);
        long baseTs = (System.currentTimeMillis() / 1000 - 120) * 1000;
        for (String run : List.of("ref", "live")) {
            cluster.broker.createTopics(
                    1,
                    run + "-in",
                    run + "-det",
                    run + "-ann",
                    run + "-st",
                    run + "-ev",
                    run + "-dlq");
        }

        // undisturbed
        List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            all.add(frame("ref-in", i, baseTs, jpegs.get(i)));
        }
        KafkaTopics.publish(bootstrap, all);
        String ref = cluster.runJob(jobArgs(cluster, "ref", config, "--bounded"), 2, null);
        FrameFlowCluster.waitFor(
                "the undisturbed run to finish",
                TIMEOUT,
                () -> cluster.get("/jobs/" + ref).path("state").asText().equals("FINISHED"));
        Output expected = read(bootstrap, "ref", 1);

        // by eye: two people leave through the exit, three visit the table
        assertThat(expected.events)
                .filteredOn(e -> e.type() == CameraEvent.Type.LINE_CROSS)
                .extracting(CameraEvent::direction)
                .containsExactly(CameraEvent.OUT, CameraEvent.OUT);
        assertThat(expected.events)
                .filteredOn(e -> e.type() == CameraEvent.Type.ZONE_ENTER)
                .hasSize(3);
        assertThat(expected.events)
                .filteredOn(e -> e.type() == CameraEvent.Type.ZONE_EXIT)
                .hasSize(3);

        // live, with two kills and a rescale in the middle of the clip
        List<String> args = jobArgs(cluster, "live", config);
        String job = cluster.runJob(args, 2, null);
        AtomicInteger published = new AtomicInteger();
        AtomicInteger burst = new AtomicInteger();
        Thread publisher =
                new Thread(
                        () -> {
                            try {
                                int i = 0;
                                while (i < FRAMES) {
                                    // one frame, or a burst asked for, in one producer's batch
                                    int n = Math.max(1, burst.getAndSet(0));
                                    List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                                    for (int end = Math.min(FRAMES, i + n); i < end; i++) {
                                        batch.add(frame("live-in", i, baseTs, jpegs.get(i)));
                                    }
                                    KafkaTopics.publish(bootstrap, batch);
                                    published.addAndGet(batch.size());
                                    if (n == 1) {
                                        Thread.sleep(PUBLISH_SPACING_MS);
                                    }
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (Exception e) {
                                throw new IllegalStateException("publishing the clip failed", e);
                            }
                        },
                        "clip-publisher");
        publisher.start();
        List<String> faults = new ArrayList<>();
        try {
            killATaskManager(cluster, job, published, 40, faults);
            // BURST frames at once, then at once stop-with-savepoint: the detect stage has frames
            // in flight on both subtasks, which the resume at parallelism 1 replays in one
            int burstFrom = published.get();
            assertThat(burstFrom + BURST)
                    .as("frames left for the burst before the savepoint")
                    .isLessThanOrEqualTo(FRAMES);
            burst.set(BURST);
            awaitPublished(published, burstFrom + BURST);
            String savepoint = cluster.stopWithSavepoint(job, TIMEOUT);
            faults.add(
                    "frames "
                            + burstFrom
                            + ".."
                            + (burstFrom + BURST - 1)
                            + " published at once, stop-with-savepoint at frame "
                            + published.get());
            String resumed = cluster.runJob(args, 1, savepoint);
            faults.add("resumed at parallelism 1");
            killATaskManager(cluster, resumed, published, burstFrom + BURST + 30, faults);
            publisher.join(TIMEOUT.toMillis());
            Output actual = read(bootstrap, "live", expected.events.size());

            System.out.printf(
                    "Tracking failover: %d frames of %s; %s; undisturbed: %d detections"
                            + " records, %d events, track ids %s; live: %d detections records (%d"
                            + " frames), %d events, track ids %s; final state %s%n",
                    FRAMES,
                    CAMERA,
                    faults,
                    expected.frames,
                    expected.events.size(),
                    expected.ids.values().stream().flatMap(List::stream).distinct().toList(),
                    actual.frames,
                    actual.ids.size(),
                    actual.events.size(),
                    actual.ids.values().stream().flatMap(List::stream).distinct().toList(),
                    cluster.get("/jobs/" + resumed).path("state").asText());
            new ReliabilityReport(
                            "tracking-failover",
                            "kill -9 of a TaskManager, stop-with-savepoint with frames in"
                                    + " flight, resume at parallelism 1, kill -9 again, during one"
                                    + " clip",
                            FRAMES,
                            actual.ids.size(),
                            0,
                            0,
                            actual.frames - actual.ids.size(),
                            FRAMES - actual.ids.size(),
                            String.format(
                                    "track ids and %d line/zone events identical to an"
                                            + " undisturbed run",
                                    expected.events.size()))
                    .write();

            assertThat(actual.frames).as("detections records (one per frame)").isEqualTo(FRAMES);
            // the tracker saw the frames in capture order (the topic has one partition): a restored
            // watermark that overtook frames in flight once let a later frame go first
            assertThat(actual.seqs)
                    .as("the frames' detections records in capture order")
                    .isEqualTo(expected.seqs)
                    .isSorted();
            assertThat(actual.ids)
                    .as("each frame's track ids, as in the undisturbed run")
                    .isEqualTo(expected.ids);
            assertThat(actual.events)
                    .as("every event once, in order, as in the undisturbed run")
                    .containsExactlyElementsOf(expected.events);
        } finally {
            publisher.interrupt();
        }
    }

    /**
     * After {@code atFrame} frames are published and a checkpoint more is complete: {@code kill -9}
     * a TaskManager running the job, start a fresh one, and wait until the job runs again.
     */
    private static void killATaskManager(
            FrameFlowCluster cluster,
            String job,
            AtomicInteger published,
            int atFrame,
            List<String> faults)
            throws Exception {
        awaitPublished(published, Math.min(FRAMES, atFrame));
        long checkpoints = cluster.completedCheckpoints(job);
        FrameFlowCluster.waitFor(
                "a checkpoint before the kill at frame " + atFrame,
                TIMEOUT,
                () -> cluster.completedCheckpoints(job) > checkpoints);
        String victim = cluster.taskManagersOf(job).first();
        long restarts = cluster.numRestarts(job);
        cluster.taskManagerScript("kill", victim);
        faults.add("kill -9 " + victim + " at frame " + published.get());
        cluster.taskManagerScript("start");
        FrameFlowCluster.waitFor(
                "a restart after killing " + victim,
                TIMEOUT,
                () -> cluster.numRestarts(job) > restarts);
        cluster.awaitRunning(job, TIMEOUT);
    }

    private static List<String> jobArgs(
            FrameFlowCluster cluster, String run, Path config, String... extra) {
        List<String> more =
                new ArrayList<>(
                        List.of(
                                "--camera-config",
                                config.toString(),
                                "--topic.frames",
                                run + "-in",
                                "--topic.detections",
                                run + "-det",
                                "--topic.annotated",
                                run + "-ann",
                                "--topic.stats",
                                run + "-st",
                                "--topic.events",
                                run + "-ev",
                                "--topic.dlq",
                                run + "-dlq"));
        more.addAll(List.of(extra));
        return cluster.jobArgs("yolox_nano.onnx", "trk-" + run, "1 s", more.toArray(String[]::new));
    }

    private static ProducerRecord<byte[], byte[]> frame(
            String topic, long seq, long baseTs, byte[] jpeg) {
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        topic,
                        null,
                        baseTs + seq * CAPTURE_SPACING_MS,
                        CAMERA.getBytes(StandardCharsets.UTF_8),
                        jpeg);
        r.headers().add("seq", Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        r.headers().add("content-type", "image/jpeg".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static void awaitPublished(AtomicInteger published, int frames) throws Exception {
        FrameFlowCluster.waitFor(
                frames + " frames published", TIMEOUT, () -> published.get() >= frames);
    }

    /** A run's committed output: track ids per frame seq, and the events in order. */
    private record Output(
            int frames, List<Long> seqs, Map<Long, List<Long>> ids, List<CameraEvent> events) {}

    private static Output read(String bootstrap, String run, int events) throws Exception {
        DetectionsJson detections = new DetectionsJson();
        Map<Long, List<Long>> ids = new TreeMap<>();
        List<Long> seqs = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTopics.read(
                        bootstrap, run + "-det", FRAMES, TIMEOUT, Duration.ofSeconds(3), true);
        for (var r : records) {
            FrameDetections d = detections.read(r.value()).detections();
            seqs.add(d.seq());
            ids.put(d.seq(), d.detections().stream().map(Detection::trackId).toList());
        }
        EventsJson json = new EventsJson();
        List<CameraEvent> out = new ArrayList<>();
        for (var r :
                KafkaTopics.read(
                        bootstrap, run + "-ev", events, TIMEOUT, Duration.ofSeconds(5), true)) {
            out.add(json.read(r.value()));
        }
        return new Output(records.size(), seqs, ids, out);
    }
}
