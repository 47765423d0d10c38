package io.frameflow.viewer;

import io.frameflow.records.wire.FrameWire;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Command-line options of the viewer. Every option takes {@code --name=value} or {@code --name
 * value}; {@code --kafka.<property>=<value>} passes any Kafka consumer property through.
 */
public record ViewerOptions(
        String host,
        int port,
        String token,
        String bootstrapServers,
        String annotatedTopic,
        String statsTopic,
        String eventsTopic,
        String sitesTopic,
        String configTopic,
        boolean fromBeginning,
        int historyMinutes,
        int maxStreams,
        int maxCameras,
        int stallTimeoutSeconds,
        int httpThreads,
        int requestTimeoutSeconds,
        Map<String, String> kafka) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    /** HTTP threads beyond --max-streams (one per video stream) by default: page, API, health. */
    public static final int EXTRA_HTTP_THREADS = 32;

    public static final String USAGE =
            String.join(
                    "\n",
                    "Usage: java -jar frameflow-viewer.jar [options]",
                    "  --bootstrap-servers=HOST:PORT  Kafka (default " + DEFAULT_BOOTSTRAP + ")",
                    "  --host=ADDR           address to bind (default "
                            + DEFAULT_HOST
                            + "; 0.0.0.0 exposes the viewer)",
                    "  --port=N              HTTP port (default "
                            + DEFAULT_PORT
                            + "; 0 = any free)",
                    "  --token=SECRET        require ?token=SECRET (or header X-FrameFlow-Token)",
                    "  --annotated-topic=T   annotated frames (default "
                            + FrameWire.TOPIC_ANNOTATED
                            + ")",
                    "  --stats-topic=T       window stats (default " + FrameWire.TOPIC_STATS + ")",
                    "  --events-topic=T      line and zone events (default "
                            + FrameWire.TOPIC_EVENTS
                            + ")",
                    "  --sites-topic=T       site totals (default " + FrameWire.TOPIC_SITES + ")",
                    "  --config-topic=T      per-camera settings, read and (with --token) written"
                            + " by the zone editor (default "
                            + FrameWire.TOPIC_CONFIG
                            + ")",
                    "  --from-beginning      read the topics from the start instead of the end",
                    "  --history-minutes=N   minutes of stats the charts keep; also re-read from"
                            + " the stats topic at start-up (default 15)",
                    "  --max-streams=N       concurrent video streams (default 64)",
                    "  --max-cameras=N       cameras tracked (default 256)",
                    "  --stall-timeout=S     close a video stream whose client has not read for S"
                            + " seconds, and any other answer not taken within S (default 30)",
                    "  --http-threads=N      HTTP threads at most, each video stream holds one"
                            + " (default --max-streams + "
                            + EXTRA_HTTP_THREADS
                            + "); as many requests may wait, further connections are closed",
                    "  --request-timeout=S   close a connection that has not sent its request"
                            + " within S seconds (default 10)",
                    "  --kafka.PROP=VALUE    any Kafka consumer property, e.g."
                            + " --kafka.security.protocol=SSL",
                    "  --help");

    public ViewerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("--token must not be empty (leave it out instead)");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers must not be empty");
        }
        if (annotatedTopic.isBlank()
                || statsTopic.isBlank()
                || eventsTopic.isBlank()
                || sitesTopic.isBlank()
                || configTopic.isBlank()) {
            throw new IllegalArgumentException("topic names must not be empty");
        }
        if (historyMinutes < 1) {
            throw new IllegalArgumentException("--history-minutes must be >= 1");
        }
        if (maxStreams < 1 || maxCameras < 1 || stallTimeoutSeconds < 1) {
            throw new IllegalArgumentException(
                    "--max-streams, --max-cameras and --stall-timeout must be >= 1");
        }
        if (httpThreads != 0 && httpThreads <= maxStreams) {
            throw new IllegalArgumentException(
                    "--http-threads must be more than --max-streams (each video stream holds a"
                            + " thread), got "
                            + httpThreads
                            + " with --max-streams="
                            + maxStreams);
        }
        if (requestTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--request-timeout must be >= 1");
        }
        kafka = Map.copyOf(kafka);
    }

    /** HTTP threads at most: {@code --http-threads}, else {@code --max-streams} + 32. */
    public int httpThreadLimit() {
        return httpThreads > 0 ? httpThreads : maxStreams + EXTRA_HTTP_THREADS;
    }

    /** Defaults for everything, reading from {@code bootstrapServers}. */
    public static ViewerOptions defaults(String bootstrapServers) {
        Builder b = new Builder();
        b.bootstrapServers = bootstrapServers;
        return b.build();
    }

    public ViewerOptions withPort(int newPort) {
        return with(b -> b.port = newPort);
    }

    public ViewerOptions withToken(String newToken) {
        return with(b -> b.token = newToken);
    }

    public ViewerOptions withStallTimeout(int seconds) {
        return with(b -> b.stallTimeoutSeconds = seconds);
    }

    public ViewerOptions withTopics(String annotated, String stats) {
        return with(
                b -> {
                    b.annotatedTopic = annotated;
                    b.statsTopic = stats;
                });
    }

    public ViewerOptions withEventTopics(String events, String config) {
        return with(
                b -> {
                    b.eventsTopic = events;
                    b.configTopic = config;
                });
    }

    public ViewerOptions withSitesTopic(String sites) {
        return with(b -> b.sitesTopic = sites);
    }

    /** These options with {@code change} made (checked again). */
    private ViewerOptions with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /**
     * Parses the command line.
     *
     * @return null when {@code --help} was asked for
     * @throws IllegalArgumentException saying which option is wrong and how
     */
    public static ViewerOptions parse(String... args) {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (arg.equals("--from-beginning")) {
                b.fromBeginning = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument '" + arg + "'");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (name.startsWith("kafka.") && name.length() > "kafka.".length()) {
                b.kafka.put(name.substring("kafka.".length()), value);
                continue;
            }
            switch (name) {
                case "host" -> b.host = value;
                case "port" -> b.port = intOption(name, value);
                case "token" -> b.token = value;
                case "bootstrap-servers" -> b.bootstrapServers = value;
                case "annotated-topic" -> b.annotatedTopic = value;
                case "stats-topic" -> b.statsTopic = value;
                case "events-topic" -> b.eventsTopic = value;
                case "sites-topic" -> b.sitesTopic = value;
                case "config-topic" -> b.configTopic = value;
                case "history-minutes" -> b.historyMinutes = intOption(name, value);
                case "max-streams" -> b.maxStreams = intOption(name, value);
                case "max-cameras" -> b.maxCameras = intOption(name, value);
                case "stall-timeout" -> b.stallTimeoutSeconds = intOption(name, value);
                case "http-threads" -> b.httpThreads = intOption(name, value);
                case "request-timeout" -> b.requestTimeoutSeconds = intOption(name, value);
                default -> throw new IllegalArgumentException("Unknown option --" + name);
            }
        }
        return b.build();
    }

    private static int intOption(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    /** Hides the token in logs. */
    @Override
    public String toString() {
        return "ViewerOptions[host="
                + host
                + ", port="
                + port
                + ", token="
                + (token == null ? "none" : "***")
                + ", bootstrapServers="
                + bootstrapServers
                + ", annotatedTopic="
                + annotatedTopic
                + ", statsTopic="
                + statsTopic
                + ", eventsTopic="
                + eventsTopic
                + ", sitesTopic="
                + sitesTopic
                + ", configTopic="
                + configTopic
                + ", fromBeginning="
                + fromBeginning
                + "]";
    }

    /** Options being put together: the defaults until set; {@link #build} checks them. */
    private static final class Builder {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        String token;
        String bootstrapServers = DEFAULT_BOOTSTRAP;
        String annotatedTopic = FrameWire.TOPIC_ANNOTATED;
        String statsTopic = FrameWire.TOPIC_STATS;
        String eventsTopic = FrameWire.TOPIC_EVENTS;
        String sitesTopic = FrameWire.TOPIC_SITES;
        String configTopic = FrameWire.TOPIC_CONFIG;
        boolean fromBeginning;
        int historyMinutes = 15;
        int maxStreams = 64;
        int maxCameras = 256;
        int stallTimeoutSeconds = 30;
        int httpThreads; // 0: --max-streams + EXTRA_HTTP_THREADS
        int requestTimeoutSeconds = 10;
        final Map<String, String> kafka = new LinkedHashMap<>();

        Builder() {}

        Builder(ViewerOptions o) {
            host = o.host;
            port = o.port;
            token = o.token;
            bootstrapServers = o.bootstrapServers;
            annotatedTopic = o.annotatedTopic;
            statsTopic = o.statsTopic;
            eventsTopic = o.eventsTopic;
            sitesTopic = o.sitesTopic;
            configTopic = o.configTopic;
            fromBeginning = o.fromBeginning;
            historyMinutes = o.historyMinutes;
            maxStreams = o.maxStreams;
            maxCameras = o.maxCameras;
            stallTimeoutSeconds = o.stallTimeoutSeconds;
            httpThreads = o.httpThreads;
            requestTimeoutSeconds = o.requestTimeoutSeconds;
            kafka.putAll(o.kafka);
        }

        ViewerOptions build() {
            return new ViewerOptions(
                    host,
                    port,
                    token,
                    bootstrapServers,
                    annotatedTopic,
                    statsTopic,
                    eventsTopic,
                    sitesTopic,
                    configTopic,
                    fromBeginning,
                    historyMinutes,
                    maxStreams,
                    maxCameras,
                    stallTimeoutSeconds,
                    httpThreads,
                    requestTimeoutSeconds,
                    kafka);
        }
    }
}
