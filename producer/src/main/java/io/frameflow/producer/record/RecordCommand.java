package io.frameflow.producer.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameflow.producer.DurationConverter;
import io.frameflow.producer.KafkaClientProperties;
import io.frameflow.records.wire.FrameWire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
        },
        footer = {"", "Any Kafka consumer property can be given as --kafka.<property>=<value>."})
public final class RecordCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordCommand.class);
    private static final Duration POLL = Duration.ofMillis(500);

    @Spec CommandSpec commandSpec;

    @Option(
            names = {"-b", "--bootstrap-servers"},
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

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

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        Map<String, String> kafkaProps = KafkaClientProperties.parse(unmatched, commandSpec);
        VideoCodec videoCodec = chooseCodec();
        if (detectionsOut != null) {
            try {
                DetectionsWriter.validateName(detectionsOut);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandSpec.commandLine(), e.getMessage());
            }
        }
        Long fromMillis = parseFrom();
        Files.createDirectories(outputDir);

        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop.set(true);
                            try {
                                finished.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "frameflow-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, CameraRecorder> recorders = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProperties(kafkaProps))) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic);
            if (detectionsOut != null) {
                partitions.addAll(partitionsOf(consumer, detectionsTopic));
            }
            consumer.assign(partitions);
            seek(consumer, partitions, fromMillis);
            Map<TopicPartition, Long> end = bounded ? consumer.endOffsets(partitions) : Map.of();
            Set<String> wanted = new HashSet<>(cameras);
            Map<String, Set<Long>> recordedSeqs = new HashMap<>();
            List<JsonNode> detections = new ArrayList<>();
            long frames = 0;
            long lastFrameNanos = System.nanoTime();
            while (!stop.get()) {
                if (bounded && reachedEnd(consumer, end)) {
                    break;
                }
                if (maxFrames > 0 && frames >= maxFrames) {
                    break;
                }
                if (idleTimeout != null
                        && System.nanoTime() - lastFrameNanos > idleTimeout.toNanos()) {
                    LOG.info("No frame for {}; stopping", idleTimeout);
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    String camera =
                            r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (r.topic().equals(detectionsTopic)
                            && detectionsOut != null
                            && !r.topic().equals(topic)) {
                        collectDetection(r, camera, wanted, detections);
                        continue;
                    }
                    if (!wanted.isEmpty() && !wanted.contains(camera)) {
                        continue;
                    }
                    if (maxFrames > 0 && frames >= maxFrames) {
                        continue;
                    }
                    if (bounded
                            && r.offset()
                                    >= end.getOrDefault(
                                            new TopicPartition(r.topic(), r.partition()),
                                            Long.MAX_VALUE)) {
                        continue;
                    }
                    CameraRecorder rec =
                            recorders.computeIfAbsent(
                                    camera,
                                    c ->
                                            new CameraRecorder(
                                                    c,
                                                    outputDir.resolve(fileName(c)),
                                                    videoCodec,
                                                    fps,
                                                    bitrate));
                    rec.add(r.value(), r.timestamp());
                    long seq = seqOf(r);
                    if (seq >= 0) {
                        recordedSeqs.computeIfAbsent(camera, c -> new HashSet<>()).add(seq);
                    }
                    frames++;
                    lastFrameNanos = System.nanoTime();
                }
            }
            long undecodable = 0;
            for (CameraRecorder rec : recorders.values()) {
                rec.close();
                undecodable += rec.undecodable();
                System.out.printf(
                        Locale.ROOT,
                        "%s: %d frames -> %s (%.3f fps)%n",
                        rec.camera(),
                        rec.written(),
                        rec.file(),
                        rec.fps());
            }
            if (detectionsOut != null) {
                DetectionsWriter writer = new DetectionsWriter();
                for (JsonNode d : detections) {
                    Set<Long> seqs = recordedSeqs.get(d.path("camera").asText());
                    if (seqs != null && seqs.contains(d.path("seq").asLong(-1))) {
                        writer.add(d);
                    }
                }
                writer.write(detectionsOut);
                System.out.printf(
                        Locale.ROOT,
                        "detections of %d frames -> %s%n",
                        writer.frameCount(),
                        detectionsOut);
            }
            if (recorders.isEmpty()) {
                System.err.println(
                        "No frames found in topic "
                                + topic
                                + (cameras.isEmpty() ? "" : " for cameras " + cameras)
                                + " from "
                                + from);
                return 1;
            }
            if (!cameras.isEmpty()) {
                Set<String> missing = new LinkedHashSet<>(cameras);
                missing.removeAll(recorders.keySet());
                if (!missing.isEmpty()) {
                    System.err.println("No frames found for cameras " + missing);
                    return 1;
                }
            }
            if (undecodable > 0) {
                System.err.println(
                        undecodable + " frame(s) were not decodable images and were skipped");
                return 1;
            }
            return 0;
        } finally {
            for (CameraRecorder rec : recorders.values()) {
                try {
                    rec.close();
                } catch (Exception e) {
                    LOG.warn("Could not close {}", rec.file(), e);
                }
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Ctrl-C: the hook waits for the latch released above
            }
        }
    }

    private void collectDetection(
            ConsumerRecord<byte[], byte[]> r,
            String camera,
            Set<String> wanted,
            List<JsonNode> out) {
        if (!wanted.isEmpty() && !wanted.contains(camera)) {
            return;
        }
        try {
            JsonNode node = mapper.readTree(r.value());
            if (node instanceof ObjectNode obj) {
                if (!obj.hasNonNull("camera")) {
                    obj.put("camera", camera);
                }
                if (!obj.hasNonNull("seq") && seqOf(r) >= 0) {
                    obj.put("seq", seqOf(r));
                }
                out.add(obj);
            }
        } catch (Exception e) {
            LOG.warn(
                    "Skipping a detections record that is not JSON (camera {}, offset {}): {}",
                    camera,
                    r.offset(),
                    e.getMessage());
        }
    }

    static long seqOf(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(FrameWire.HEADER_SEQ);
        if (h == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String fileName(String camera) {
        String safe = camera.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.isEmpty() ? "camera" : safe) + ".mp4";
    }

    private boolean reachedEnd(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String t) {
        List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new ParameterException(
                    commandSpec.commandLine(),
                    "Topic " + t + " does not exist at " + bootstrapServers);
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : infos) {
            out.add(new TopicPartition(p.topic(), p.partition()));
        }
        return out;
    }

    private void seek(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Long fromMillis) {
        if (fromMillis == null) {
            if ("latest".equalsIgnoreCase(from)) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, fromMillis));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        List<TopicPartition> none = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            if (o == null) {
                none.add(tp);
            } else {
                consumer.seek(tp, o.offset());
            }
        }
        consumer.seekToEnd(none);
    }

    private Long parseFrom() {
        String f = from.trim();
        if (f.equalsIgnoreCase("earliest") || f.equalsIgnoreCase("latest")) {
            return null;
        }
        if (f.matches("\\d+")) {
            return Long.parseLong(f);
        }
        try {
            return Instant.parse(f).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new ParameterException(
                    commandSpec.commandLine(),
                    "--from must be earliest, latest, an ISO-8601 instant (2026-01-31T12:00:00Z) or epoch ms, got "
                            + from);
        }
    }

    private VideoCodec chooseCodec() {
        switch (codec.toLowerCase(Locale.ROOT)) {
            case "auto":
                return VideoCodec.best();
            case "h264":
                if (!VideoCodec.H264.available()) {
                    throw new ParameterException(
                            commandSpec.commandLine(),
                            "This FFmpeg build has no libopenh264 encoder; use --codec mpeg4 or auto");
                }
                return VideoCodec.H264;
            case "mpeg4":
                return VideoCodec.MPEG4;
            default:
                throw new ParameterException(
                        commandSpec.commandLine(), "--codec must be auto, h264 or mpeg4");
        }
    }

    private Properties consumerProperties(Map<String, String> extra) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "frameflow-record");
        // the job writes with exactly-once; only committed frames belong in a recording
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        p.putAll(extra);
        return p;
    }
}
