package io.frameflow.producer.produce;

import io.frameflow.producer.DurationConverter;
import io.frameflow.producer.KafkaClientProperties;
import io.frameflow.records.wire.FrameWire;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
    private static final long STOP_GRACE_MILLIS = 5_000;

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

    @Option(
            names = {"-b", "--bootstrap-servers"},
            defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

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
        Map<String, String> kafkaProps = KafkaClientProperties.parse(unmatched, commandSpec);
        List<SourceSpec> specs = parseSources();
        int[] size = parseResize();
        validate();

        Producer<byte[], byte[]> producer;
        try {
            producer =
                    new KafkaProducer<>(
                            KafkaFrameProducer.properties(
                                    bootstrapServers, lingerMs, batchSize, kafkaProps));
        } catch (KafkaException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw new ParameterException(
                    commandSpec.commandLine(),
                    "Invalid Kafka client settings: " + root.getMessage(),
                    e);
        }
        try {
            // fail fast, with the reason, when Kafka or the topic cannot be reached
            producer.partitionsFor(topic);
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            System.err.println(
                    "Cannot publish to topic "
                            + topic
                            + " at "
                            + bootstrapServers
                            + ": "
                            + e.getMessage()
                            + " (check --bootstrap-servers, the topic and --kafka.* security settings)");
            return 1;
        }
        return run(producer, specs, size);
    }

    private int run(Producer<byte[], byte[]> producer, List<SourceSpec> specs, int[] size)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        List<CameraStats> allCameras = new ArrayList<>();
        List<SourceWorker> workers = new ArrayList<>();
        SourceWorker.Settings settings =
                new SourceWorker.Settings(
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
        for (SourceSpec spec : specs) {
            List<CameraStats> cameras = new ArrayList<>();
            if (replicate == 1) {
                cameras.add(new CameraStats(spec.cameraId()));
            } else {
                for (int i = 0; i < replicate; i++) {
                    cameras.add(new CameraStats(spec.cameraId() + "-" + i));
                }
            }
            allCameras.addAll(cameras);
            FrameSource source =
                    spec.kind() == SourceKind.IMAGE_FOLDER
                            ? new ImageFolderSource(Path.of(spec.location()), folderFps)
                            : new FfmpegFrameSource(spec, inputOptions, (int) timeout.toMillis());
            workers.add(
                    new SourceWorker(
                            spec,
                            source,
                            new CameraPublisher(producer, topic, cameras),
                            cameras,
                            settings,
                            stop));
        }
        PrintStream out = System.out;
        boolean terminal =
                switch (progress) {
                    case "tty" -> true;
                    case "auto" -> System.console() != null;
                    default -> false;
                };
        ProgressReporter reporter = new ProgressReporter(allCameras, terminal, out);
        Thread hook =
                new Thread(
                        () -> {
                            stop.set(true);
                            try {
                                // let the main thread flush the producer and print the summary
                                finished.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "frameflow-producer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LOG.info(
                    "Publishing {} source(s) as {} camera(s) to topic {} at {}",
                    specs.size(),
                    allCameras.size(),
                    topic,
                    bootstrapServers);
            List<Thread> threads = new ArrayList<>();
            for (SourceWorker w : workers) {
                Thread t = new Thread(w, "source-" + w.spec().cameraId());
                // a source blocked in FFmpeg (a listening RTSP socket) must not keep the JVM alive
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            long tickMillis = terminal ? 1000 : progressInterval.toMillis();
            long nextTick = System.currentTimeMillis() + tickMillis;
            long stopSeenAt = 0;
            for (Thread t : threads) {
                while (t.isAlive()) {
                    if (stop.get()) {
                        // Ctrl-C: give the sources a moment to finish their frame, then flush
                        stopSeenAt = stopSeenAt == 0 ? System.currentTimeMillis() : stopSeenAt;
                        if (System.currentTimeMillis() - stopSeenAt > STOP_GRACE_MILLIS) {
                            LOG.warn(
                                    "Source {} did not stop in time; flushing without it",
                                    t.getName());
                            break;
                        }
                    }
                    t.join(Math.max(1, Math.min(200, nextTick - System.currentTimeMillis())));
                    if (!"off".equals(progress) && System.currentTimeMillis() >= nextTick) {
                        reporter.tick();
                        nextTick = System.currentTimeMillis() + tickMillis;
                    }
                }
            }
            producer.flush();
            producer.close(Duration.ofSeconds(30));
            if (terminal) {
                reporter.tick();
            }
            long errors = reporter.summary(workers);
            long failedSources = workers.stream().filter(w -> w.failure() != null).count();
            if (failedSources > 0 || errors > 0) {
                LOG.error(
                        "{} of {} source(s) failed, {} frame(s) not published",
                        failedSources,
                        workers.size(),
                        errors);
                return 1;
            }
            return 0;
        } finally {
            stop.set(true);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Ctrl-C: the hook is running and waits for the latch released above
            }
        }
    }

    private List<SourceSpec> parseSources() {
        List<SourceSpec> specs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String s : sources) {
            SourceSpec spec;
            try {
                spec = SourceSpec.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        commandSpec.commandLine(), "--source " + s + ": " + e.getMessage());
            }
            if (!ids.add(spec.cameraId())) {
                throw new ParameterException(
                        commandSpec.commandLine(),
                        "Camera id '"
                                + spec.cameraId()
                                + "' is used by two sources; name them: --source cam-a=... --source cam-b=...");
            }
            specs.add(spec);
        }
        return specs;
    }

    private int[] parseResize() {
        if (resize == null) {
            return new int[] {0, 0};
        }
        String[] parts = resize.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(parts[0].trim());
            int h = Integer.parseInt(parts[1].trim());
            if (parts.length != 2 || w < 2 || h < 2) {
                throw new NumberFormatException();
            }
            return new int[] {w, h};
        } catch (RuntimeException e) {
            throw new ParameterException(
                    commandSpec.commandLine(),
                    "--resize must be WIDTHxHEIGHT, e.g. 640x360, got " + resize);
        }
    }

    private void validate() {
        check(replicate >= 1, "--replicate must be at least 1");
        check(quality >= 1 && quality <= 100, "--quality must be 1..100");
        check(fps >= 0, "--fps must be positive");
        check(maxWidth >= 0, "--max-width must be positive");
        check(folderFps > 0, "--folder-fps must be positive");
        check(maxFrames >= 0, "--max-frames must be positive");
        check(
                List.of("auto", "tty", "log", "off").contains(progress),
                "--progress must be auto, tty, log or off");
        check(lingerMs >= 0, "--linger-ms must be >= 0");
        check(batchSize >= 0, "--batch-size must be >= 0");
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(commandSpec.commandLine(), message);
        }
    }
}
