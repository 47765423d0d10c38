package io.frameflow.producer.produce;

import io.frameflow.producer.DurationConverter;
import io.frameflow.producer.KafkaConnectionOptions;
import io.frameflow.producer.ShutdownSignal;
import io.frameflow.records.wire.FrameWire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code produce}: publish video files, streams, webcams and image folders to a frames topic. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Publishes frames as JPEG to Kafka (key = camera id, timestamp = capture time, headers"
                    + " seq and content-type).",
            "Sources: a video file, an RTSP/RTMP/HTTP(S) URL, a V4L2 webcam (/dev/videoN) or a"
                    + " folder of images; each runs on its own thread.",
            "Exit code: 0 when every source played and every frame was published, 1 when a"
                    + " source failed or frames were rejected, 2 on bad arguments."
        },
        footer = {
            "",
            "Any Kafka producer property can be given as --kafka.<property>=<value>, e.g.",
            "  --kafka.security.protocol=SASL_SSL --kafka.sasl.mechanism=PLAIN",
            "Timestamps: wall clock at grab for live sources; for files and folders the start"
                    + " time of the run plus the frame's presentation time."
        })
public final class ProduceCommand implements java.util.concurrent.Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceCommand.class);

    @Spec CommandSpec commandSpec;

    @Option(
            names = {"-s", "--source"},
            required = true,
            paramLabel = "[CAMERA=]LOCATION",
            description =
                    "A source, repeatable: file.mp4, rtsp://host/path, http://host/stream.mjpg,"
                            + " /dev/video0, or a folder of images; a bare location takes its camera"
                            + " id from the file/folder/device/stream name.")
    List<String> sources = new ArrayList<>();

    @Mixin KafkaConnectionOptions kafka;

    @Option(
            names = {"-t", "--topic"},
            defaultValue = FrameWire.TOPIC_FRAMES,
            description = "Topic to publish to (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = "--replicate",
            defaultValue = "1",
            description =
                    "Publish each source as N cameras <id>-0..<id>-(N-1) (load tests; default 1).")
    int replicate;

    @Option(
            names = {"-q", "--quality"},
            defaultValue = "85",
            description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
    int quality;

    @Option(
            names = "--fps",
            defaultValue = "0",
            description = "Cap the published rate per source (default: the source's own rate).")
    double fps;

    @Option(
            names = "--as-fast-as-possible",
            description =
                    "Do not pace files and folders in real time; publish as fast as possible.")
    boolean asFastAsPossible;

    @Option(names = "--resize", paramLabel = "WxH", description = "Resize every frame to WxH.")
    String resize;

    @Option(
            names = "--max-width",
            defaultValue = "0",
            description = "Downscale frames wider than this, keeping the aspect ratio.")
    int maxWidth;

    @Option(
            names = "--loop",
            description = "Replay files and folders from the start when they end.")
    boolean loop;

    @Option(
            names = "--max-frames",
            defaultValue = "0",
            description = "Stop each source after publishing this many frames (0 = no limit).")
    long maxFrames;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "Stop after this long (e.g. 30s, 5m).")
    Duration duration;

    @Option(
            names = "--folder-fps",
            defaultValue = "10",
            description = "Frame rate of image folders (default: ${DEFAULT-VALUE}).")
    double folderFps;

    @Option(
            names = {"-O", "--input-option"},
            paramLabel = "KEY=VALUE",
            description =
                    "FFmpeg input option for every stream/file/webcam source, repeatable (e.g."
                            + " rtsp_transport=udp, video_size=1280x720, framerate=30,"
                            + " input_format=mjpeg, rtsp_flags=listen).")
    Map<String, String> inputOptions = new LinkedHashMap<>();

    @Option(
            names = "--timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Network open/read timeout for streams (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--reconnect-attempts",
            defaultValue = "10",
            description =
                    "Consecutive failed (re)connection attempts before a stream or webcam is given"
                            + " up (-1 = never give up; default: ${DEFAULT-VALUE}).")
    int reconnectAttempts;

    @Option(
            names = "--reconnect-backoff",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description =
                    "First reconnect delay, doubled on each failure (default: ${DEFAULT-VALUE}).")
    Duration reconnectBackoff;

    @Option(
            names = "--reconnect-max-backoff",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Longest reconnect delay (default: ${DEFAULT-VALUE}).")
    Duration reconnectMaxBackoff;

    @Option(
            names = "--linger-ms",
            defaultValue = "5",
            description = "Kafka linger.ms (default: ${DEFAULT-VALUE}).")
    int lingerMs;

    @Option(
            names = "--batch-size",
            defaultValue = "1048576",
            description = "Kafka batch.size in bytes (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            description =
                    "auto (a live display on a terminal, log lines otherwise), tty, log or off"
                            + " (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(
            names = "--progress-interval",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "How often progress is logged when not on a terminal (default: ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Unmatched List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> kafkaProps = kafka.clientProperties(unmatched);
        ProduceOptionChecks checks = new ProduceOptionChecks(commandSpec);
        List<SourceSpec> specs = checks.sources(sources);
        int[] size = checks.resize(resize);
        checks.ranges(this);

        Producer<byte[], byte[]> producer;
        try {
            producer =
                    new KafkaProducer<>(
                            KafkaFrameProducer.properties(
                                    kafka.bootstrapServers(), lingerMs, batchSize, kafkaProps));
        } catch (KafkaException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw checks.bad("Invalid Kafka client settings: " + root.getMessage(), e);
        }
        if (!topicReachable(producer)) {
            return 1;
        }
        try (ShutdownSignal signal = ShutdownSignal.install("frameflow-producer-shutdown")) {
            SourceWorker.Settings settings = settings(size);
            List<SourceWorker> workers = new ArrayList<>();
            for (SourceSpec spec : specs) {
                workers.add(worker(spec, producer, settings, signal.flag()));
            }
            LOG.info(
                    "Publishing {} source(s) as {} camera(s) to topic {} at {}",
                    specs.size(),
                    specs.size() * replicate,
                    topic,
                    kafka.bootstrapServers());
            return new ProduceRun(producer, workers, progress, progressInterval).run(signal.flag());
        }
    }

    /** Fails fast, with the reason, when Kafka or the topic cannot be reached. */
    private boolean topicReachable(Producer<byte[], byte[]> producer) {
        try {
            producer.partitionsFor(topic);
            return true;
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            System.err.println(
                    "Cannot publish to topic "
                            + topic
                            + " at "
                            + kafka.bootstrapServers()
                            + ": "
                            + e.getMessage()
                            + " (check --bootstrap-servers, the topic and --kafka.* security settings)");
            return false;
        }
    }

    /** The worker that plays {@code spec} and publishes it as its camera(s). */
    private SourceWorker worker(
            SourceSpec spec,
            Producer<byte[], byte[]> producer,
            SourceWorker.Settings settings,
            AtomicBoolean stop) {
        List<CameraStats> cameras = new ArrayList<>();
        if (replicate == 1) {
            cameras.add(new CameraStats(spec.cameraId()));
        } else {
            for (int i = 0; i < replicate; i++) {
                cameras.add(new CameraStats(spec.cameraId() + "-" + i));
            }
        }
        FrameSource source =
                spec.kind() == SourceKind.IMAGE_FOLDER
                        ? new ImageFolderSource(Path.of(spec.location()), folderFps)
                        : new FfmpegFrameSource(spec, inputOptions, (int) timeout.toMillis());
        return new SourceWorker(
                spec,
                source,
                new CameraPublisher(producer, topic, cameras),
                cameras,
                settings,
                stop);
    }

    /** How every source is played, from the options ({@code size}: the checked --resize). */
    private SourceWorker.Settings settings(int[] size) {
        return new SourceWorker.Settings(
                fps,
                asFastAsPossible,
                loop,
                maxFrames,
                duration,
                reconnectAttempts,
                reconnectBackoff,
                reconnectMaxBackoff,
                quality,
                size[0],
                size[1],
                maxWidth);
    }
}
