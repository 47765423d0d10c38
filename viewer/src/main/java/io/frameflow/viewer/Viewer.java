package io.frameflow.viewer;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running viewer: the Kafka follower and the HTTP server. Close it to stop both. */
public final class Viewer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Viewer.class);

    private final CameraRegistry registry;
    private final TopicFollower follower;
    private final ViewerServer server;

    /** Wires the registry, the Kafka follower and the HTTP server; nothing runs yet. */
    private Viewer(ViewerOptions options) throws IOException {
        registry = new CameraRegistry(options.maxCameras(), options.historyMinutes() * 60_000L);
        SettingsDocs settings = new SettingsDocs();
        SiteTotals sites = new SiteTotals(options.historyMinutes() * 60_000L);
        follower = new TopicFollower(options, registry, settings, sites);
        try {
            server = new ViewerServer(options, registry, follower, settings, sites);
        } catch (IOException | RuntimeException e) {
            closeQuietly(follower);
            throw e;
        }
    }

    /**
     * Starts following the topics and serving the page.
     *
     * @throws IOException when the address cannot be bound
     * @throws org.apache.kafka.common.KafkaException when a Kafka property is invalid
     */
    public static Viewer start(ViewerOptions options) throws IOException {
        Viewer viewer = new Viewer(options);
        viewer.follower.start();
        try {
            viewer.server.start();
        } catch (IOException e) {
            closeQuietly(viewer.follower);
            throw e;
        }
        LOG.info("FrameFlow viewer at {} ({})", viewer.url(), options);
        return viewer;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8090/}. */
    public String url() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort() + "/";
    }

    public int port() {
        return server.address().getPort();
    }

    public CameraRegistry cameras() {
        return registry;
    }

    /** Video streams open right now. */
    public int activeStreams() {
        return server.activeStreams();
    }

    /** Streams closed because their client stopped reading. */
    public long stalledStreamsCut() {
        return server.stalledStreamsCut();
    }

    /** What /healthz says, as a map. */
    public java.util.Map<String, Object> status() {
        return server.status();
    }

    /**
     * Why the viewer stopped reading Kafka for good (e.g. {@link ViewerKafkaAccessException} for
     * refused credentials), or null while it reads.
     */
    public Throwable kafkaFailure() {
        return follower.failure();
    }

    @Override
    public void close() {
        server.close();
        closeQuietly(follower);
    }

    private static void closeQuietly(TopicFollower follower) {
        try {
            follower.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
