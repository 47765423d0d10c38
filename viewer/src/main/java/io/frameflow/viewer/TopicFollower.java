package io.frameflow.viewer;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.EventsJson;
import io.frameflow.records.json.SitesJson;
import io.frameflow.records.json.StatsJson;
import io.frameflow.records.wire.FrameWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the annotated-frames, stats, events, site-totals and settings topics on one thread and
 * feeds the {@link CameraRegistry}, {@link SiteTotals} and {@link SettingsDocs}. It assigns every
 * partition itself (no consumer group, nothing committed) and looks for new partitions every few
 * seconds, so topics created after the viewer started are picked up from their beginning.
 * Partitions present at start-up are read from the end (frames) or from {@code --history-minutes}
 * ago (stats, events, site totals), unless {@code --from-beginning}; the compacted settings topic
 * always from its beginning.
 */
final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final long REFRESH_MS = 3000;

    private final ViewerOptions options;
    private final CameraRegistry registry;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final SettingsDocs settings;
    private final SiteTotals sites;
    private final SitesJson sitesJson = new SitesJson();
    private final StatsJson statsJson = new StatsJson();
    private final EventsJson eventsJson = new EventsJson();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Set<String> listedTopics = new HashSet<>();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong stats = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong badRecords = new AtomicLong();
    private volatile int partitionCount;
    private int listingFailures;
    private volatile boolean running = true;
    private volatile long lastListingOkMs;
    private volatile Throwable failure;

    /** Creates the consumer (a bad Kafka property fails here, at start-up) without starting it. */
    TopicFollower(
            ViewerOptions options,
            CameraRegistry registry,
            SettingsDocs settings,
            SiteTotals sites) {
        this.options = options;
        this.registry = registry;
        this.settings = settings;
        this.sites = sites;
        this.consumer =
                new KafkaConsumer<>(
                        consumerProperties(options),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "viewer-kafka");
        this.thread.setDaemon(true);
    }

    static Properties consumerProperties(ViewerOptions options) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "frameflow-viewer");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Looking at a topic must never create it.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
        // frames.stats is written in Kafka transactions: a window of an aborted one (a failed
        // checkpoint, written again after the restart) must not show. Annotated frames are
        // at-least-once by default (visible at once); written exactly-once they show at commit.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(options.kafka());
        return props;
    }

    void start() {
        thread.start();
    }

    private void run() {
        long nextRefresh = 0;
        try {
            while (running) {
                long now = System.currentTimeMillis();
                if (now >= nextRefresh) {
                    refreshAssignment();
                    nextRefresh = now + REFRESH_MS;
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (ViewerKafkaAccessException e) {
            failure = e;
            LOG.error(e.getMessage());
        } catch (Throwable t) {
            failure = t;
            LOG.error("The viewer stopped reading Kafka", t);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void refreshAssignment() {
        List<TopicPartition> fresh = new ArrayList<>();
        Map<TopicPartition, Boolean> atStartup = new HashMap<>();
        try {
            for (String topic :
                    List.of(
                            options.annotatedTopic(),
                            options.statsTopic(),
                            options.eventsTopic(),
                            options.sitesTopic(),
                            options.configTopic())) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(2));
                boolean startup = listedTopics.add(topic);
                for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
                    TopicPartition tp = new TopicPartition(topic, info.partition());
                    if (!assigned.contains(tp)) {
                        fresh.add(tp);
                        atStartup.put(tp, startup);
                    }
                }
            }
            if (listingFailures > 0) {
                LOG.info("Kafka reachable again at {}", options.bootstrapServers());
                listingFailures = 0;
            }
            lastListingOkMs = System.currentTimeMillis();
        } catch (KafkaException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
                // wrong credentials or ACLs do not heal by retrying: stop and say what to fix
                throw new ViewerKafkaAccessException(options.bootstrapServers(), e);
            }
            // Say it once, not every few seconds while Kafka is down; /healthz shows it too.
            if (listingFailures++ == 0) {
                LOG.warn(
                        "Cannot reach Kafka at {} ({}); retrying every {} s",
                        options.bootstrapServers(),
                        e.getMessage(),
                        REFRESH_MS / 1000);
            }
            return;
        }
        if (fresh.isEmpty()) {
            return;
        }
        assigned.addAll(fresh);
        consumer.assign(assigned);
        partitionCount = assigned.size();
        List<TopicPartition> toEnd = new ArrayList<>();
        List<TopicPartition> toBeginning = new ArrayList<>();
        Map<TopicPartition, Long> toTime = new HashMap<>();
        long historyStart = System.currentTimeMillis() - options.historyMinutes() * 60_000L;
        for (TopicPartition tp : fresh) {
            // the settings topic is compacted: all of it is the current settings
            if (options.fromBeginning()
                    || !atStartup.get(tp)
                    || tp.topic().equals(options.configTopic())) {
                toBeginning.add(tp);
            } else if (tp.topic().equals(options.statsTopic())
                    || tp.topic().equals(options.eventsTopic())
                    || tp.topic().equals(options.sitesTopic())) {
                toTime.put(tp, historyStart);
            } else {
                toEnd.add(tp);
            }
        }
        // An empty list would mean "every assigned partition" to both calls.
        if (!toBeginning.isEmpty()) {
            consumer.seekToBeginning(toBeginning);
        }
        if (!toEnd.isEmpty()) {
            consumer.seekToEnd(toEnd);
        }
        if (!toTime.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> found =
                    consumer.offsetsForTimes(toTime, Duration.ofSeconds(5));
            for (TopicPartition tp : toTime.keySet()) {
                OffsetAndTimestamp at = found.get(tp);
                if (at == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, at.offset());
                }
            }
        }
        LOG.info("Following {} (now {} partitions)", fresh, assigned.size());
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.topic().equals(options.annotatedTopic())) {
            if (key == null || key.isEmpty() || record.value() == null) {
                bad(record, "annotated frame without camera key or bytes");
                return;
            }
            frames.incrementAndGet();
            long seq = parseLong(record.headers().lastHeader(FrameWire.HEADER_SEQ));
            String model = text(record.headers().lastHeader(FrameWire.HEADER_MODEL));
            registry.getOrCreate(key)
                    .ifPresent(s -> s.onFrame(record.value(), record.timestamp(), seq, model));
        } else if (record.topic().equals(options.configTopic())) {
            if (!settings.onRecord(record.key(), record.value())) {
                bad(record, "a settings record the job refuses too");
            }
        } else if (record.topic().equals(options.sitesTopic())) {
            try {
                if (!sites.onRecord(sitesJson.read(record.value()))) {
                    bad(record, "more than " + SiteTotals.MAX_SITES + " sites");
                }
            } catch (IOException | RuntimeException e) {
                bad(record, "unreadable site totals: " + e.getMessage());
            }
        } else if (record.topic().equals(options.eventsTopic())) {
            CameraEvent event;
            try {
                event = eventsJson.read(record.value());
                if (event.camera() == null || event.camera().isEmpty()) {
                    throw new IOException("no camera");
                }
            } catch (IOException | RuntimeException e) {
                bad(record, "unreadable event: " + e.getMessage());
                return;
            }
            events.incrementAndGet();
            registry.getOrCreate(event.camera()).ifPresent(s -> s.onEvent(event));
        } else {
            WindowStats parsed;
            try {
                parsed = readStats(key, record.value());
            } catch (IOException | RuntimeException e) {
                bad(record, "unreadable stats: " + e.getMessage());
                return;
            }
            stats.incrementAndGet();
            registry.getOrCreate(parsed.camera()).ifPresent(s -> s.onStats(parsed));
        }
    }

    /** The window as the job wrote it; the record key names the camera if the JSON does not. */
    private WindowStats readStats(String key, byte[] value) throws IOException {
        if (value == null || value.length == 0) {
            throw new IOException("empty value");
        }
        WindowStats s = statsJson.read(value);
        String camera = s.camera() == null || s.camera().isEmpty() ? key : s.camera();
        if (camera == null || camera.isEmpty()) {
            throw new IOException("no camera in the JSON nor in the key");
        }
        if (camera.equals(s.camera())) {
            return s;
        }
        return new WindowStats(
                camera,
                s.windowStart(),
                s.windowEnd(),
                s.frames(),
                s.fps(),
                s.dropped(),
                s.counts(),
                s.latencyMs(),
                s.inferenceMs());
    }

    private void bad(ConsumerRecord<byte[], byte[]> record, String reason) {
        long n = badRecords.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            LOG.warn(
                    "Skipping record {}-{}@{}: {} ({} skipped so far)",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason,
                    n);
        }
    }

    private static long parseLong(Header h) {
        String s = text(h);
        try {
            return s.isEmpty() ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(Header h) {
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    long framesConsumed() {
        return frames.get();
    }

    long statsConsumed() {
        return stats.get();
    }

    long eventsConsumed() {
        return events.get();
    }

    long badRecords() {
        return badRecords.get();
    }

    boolean alive() {
        return thread.isAlive() && failure == null;
    }

    /** Why the follower stopped for good, or null while it runs. */
    Throwable failure() {
        return failure;
    }

    int partitions() {
        return partitionCount;
    }

    /** Millis since epoch of the last successful look at the topics' partitions; 0 before one. */
    long lastListingOkMs() {
        return lastListingOkMs;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(5000);
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
