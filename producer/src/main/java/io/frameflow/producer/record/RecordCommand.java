package io.frameflow.producer.record;

import io.frameflow.producer.DurationConverter;
import io.frameflow.producer.KafkaConnectionOptions;
import io.frameflow.producer.ShutdownSignal;
import io.frameflow.records.wire.FrameWire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code record}: turn a frames topic back into one video file per camera. */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Consumes a frames topic (default frames.annotated) and writes one mp4 per camera at the"
                    + " frames' own rate (H.264 via libopenh264 when available, else MPEG-4 part 2),"
                    + " optionally with the matching detections as CSV or JSON.",
            "The job's inference shuffles a camera's frames a little; each camera's frames are put"
                    + " back in capture order (seq header, else capture time) in a buffer bounded by"
                    + " --reorder-frames and --reorder-time. A frame that arrives after a later one"
                    + " was written is dropped and reported (exit code 1), never written out of"
                    + " order.",
        },
        footer = {"", "Any Kafka consumer property can be given as --kafka.<property>=<value>."})
public final class RecordCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordCommand.class);

    @Spec CommandSpec commandSpec;

    @Mixin KafkaConnectionOptions kafka;

    @Option(
            names = {"-t", "--topic"},
            defaultValue = FrameWire.TOPIC_ANNOTATED,
            description = "Frames topic to record (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = {"-c", "--camera"},
            paramLabel = "CAMERA",
            description = "Camera to record, repeatable (default: every camera found).")
    List<String> cameras = new ArrayList<>();

    @Option(
            names = "--from",
            defaultValue = "earliest",
            description =
                    "Where to start: earliest, latest, an ISO-8601 time (2026-01-31T12:00:00Z)"
                            + " or epoch milliseconds (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(
            names = "--bounded",
            description = "Stop at the end offsets present when the command starts.")
    boolean bounded;

    @Option(
            names = {"-o", "--output-dir"},
            defaultValue = "recordings",
            description = "Folder for the <camera>.mp4 files (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(
            names = "--codec",
            defaultValue = "auto",
            description =
                    "auto (H.264 if this FFmpeg has libopenh264, else MPEG-4), h264 or mpeg4.")
    String codec;

    @Option(
            names = "--fps",
            defaultValue = "0",
            description = "Frame rate of the videos (default: derived from the frame timestamps).")
    double fps;

    @Option(
            names = "--bitrate",
            defaultValue = "0",
            description = "Video bitrate in bit/s (default: from size and rate).")
    int bitrate;

    @Option(
            names = "--detections-out",
            paramLabel = "FILE.csv|FILE.json",
            description = "Also write the detections of the recorded frames (camera + seq) here.")
    Path detectionsOut;

    @Option(
            names = "--detections-topic",
            defaultValue = FrameWire.TOPIC_DETECTIONS,
            description = "Detections topic (default: ${DEFAULT-VALUE}).")
    String detectionsTopic;

    @Option(
            names = "--reorder-frames",
            defaultValue = "256",
            paramLabel = "N",
            description =
                    "Per camera, hold up to N frames to put them back in capture order; a frame that"
                            + " comes after more than N later frames is late (0 = no reordering,"
                            + " any frame out of order is late) (default: ${DEFAULT-VALUE}).")
    int reorderFrames;

    @Option(
            names = "--reorder-time",
            defaultValue = "5s",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "Per camera, write a held frame once a frame captured more than this after it"
                            + " has arrived; one that comes after such a frame is late"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration reorderTime;

    @Option(
            names = "--max-frames",
            defaultValue = "0",
            description = "Stop after this many frames in all (0 = no limit).")
    long maxFrames;

    @Option(
            names = "--idle-timeout",
            converter = DurationConverter.class,
            description = "Stop when no frame arrived for this long (unbounded runs).")
    Duration idleTimeout;

    @Unmatched List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> kafkaProps = kafka.clientProperties(unmatched);
        RecordOptionChecks checks = new RecordOptionChecks(commandSpec);
        VideoCodec videoCodec = checks.codec(codec);
        checks.detectionsOut(detectionsOut);
        Long fromMillis = checks.fromMillis(from);
        checks.require(reorderFrames >= 0, "--reorder-frames must be >= 0");
        Files.createDirectories(outputDir);
        DetectionMatcher detections = detectionsOut == null ? null : new DetectionMatcher();

        try (ShutdownSignal signal = ShutdownSignal.install("frameflow-record-shutdown");
                CameraRecorders recorders =
                        new CameraRecorders(
                                outputDir,
                                videoCodec,
                                fps,
                                bitrate,
                                reorderFrames,
                                reorderTime.toMillis(),
                                (camera, seq) -> {
                                    if (detections != null) {
                                        detections.frameWritten(camera, seq);
                                    }
                                });
                RecordingConsumer consumer =
                        new RecordingConsumer(kafka.bootstrapServers(), kafkaProps)) {
            List<String> topics =
                    detectionsOut == null ? List.of(topic) : List.of(topic, detectionsTopic);
            for (String t : topics) {
                checks.require(
                        consumer.include(t),
                        "Topic " + t + " does not exist at " + kafka.bootstrapServers());
            }
            consumer.start(fromMillis, "latest".equalsIgnoreCase(from), bounded);
            record(consumer, recorders, detections, signal);
            CameraRecorders.Totals totals = recorders.finish(System.out);
            if (detections != null) {
                int frames = detections.write(detectionsOut);
                System.out.printf(
                        Locale.ROOT, "detections of %d frames -> %s%n", frames, detectionsOut);
            }
            return verdict(recorders.cameras(), totals);
        }
    }

    /** Reads until the end of a bounded run, --max-frames, --idle-timeout or Ctrl-C. */
    private void record(
            RecordingConsumer consumer,
            CameraRecorders recorders,
            DetectionMatcher detections,
            ShutdownSignal signal)
            throws Exception {
        Set<String> wanted = Set.copyOf(cameras);
        long frames = 0;
        long lastFrameNanos = System.nanoTime();
        while (!signal.stopRequested()) {
            if (consumer.reachedEnd() || (maxFrames > 0 && frames >= maxFrames)) {
                break;
            }
            if (idleTimeout != null && System.nanoTime() - lastFrameNanos > idleTimeout.toNanos()) {
                LOG.info("No frame for {}; stopping", idleTimeout);
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll()) {
                String camera = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                if (!wanted.isEmpty() && !wanted.contains(camera)) {
                    continue;
                }
                if (detections != null
                        && r.topic().equals(detectionsTopic)
                        && !r.topic().equals(topic)) {
                    detections.collect(r, camera);
                    continue;
                }
                if ((maxFrames > 0 && frames >= maxFrames) || consumer.pastEnd(r)) {
                    continue;
                }
                recorders.add(camera, DetectionMatcher.seqOf(r), r.timestamp(), r.value());
                frames++;
                lastFrameNanos = System.nanoTime();
            }
        }
    }

    /**
     * 0 when every camera asked for had frames and every frame was an image written in order, else
     * 1 (and why).
     */
    private int verdict(Set<String> recorded, CameraRecorders.Totals totals) {
        if (recorded.isEmpty()) {
            System.err.println(
                    "No frames found in topic "
                            + topic
                            + (cameras.isEmpty() ? "" : " for cameras " + cameras)
                            + " from "
                            + from);
            return 1;
        }
        Set<String> missing = new LinkedHashSet<>(cameras);
        missing.removeAll(recorded);
        if (!missing.isEmpty()) {
            System.err.println("No frames found for cameras " + missing);
            return 1;
        }
        int code = 0;
        if (totals.undecodable() > 0) {
            System.err.println(
                    totals.undecodable() + " frame(s) were not decodable images and were skipped");
            code = 1;
        }
        if (totals.late() > 0) {
            System.err.println(
                    totals.late()
                            + " frame(s) arrived after a later frame of their camera was written"
                            + " and were dropped (raise --reorder-frames / --reorder-time)");
            code = 1;
        }
        if (totals.withoutSeq() > 0) {
            System.err.println(
                    totals.withoutSeq()
                            + " frame(s) had no seq header while their camera's others had one"
                            + " and were dropped");
            code = 1;
        }
        return code;
    }
}
