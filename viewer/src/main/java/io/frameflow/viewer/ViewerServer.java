package io.frameflow.viewer;

import static io.frameflow.viewer.HttpResponses.*;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.frameflow.records.WindowStats;
import io.frameflow.records.json.StatsJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's routes, served by Jetty ({@link ViewerHttp}):
 *
 * <ul>
 *   <li>{@code /}, {@code /app.js}, {@code /style.css}: the page (from the jar, nothing else)
 *   <li>{@code /api/...}: JSON, snapshots and the zone editor's save ({@link ApiRoutes})
 *   <li>{@code /stream/<camera>}: MJPEG, newest frame only
 *   <li>{@code /live?cameras=a,b,...}: many cameras' newest frames on one connection ({@link
 *       LiveFrames})
 *   <li>{@code /healthz}: liveness (no token needed; no camera data)
 * </ul>
 *
 * Errors answer with a status and a one-line text, never a stack trace. Threads are bounded and
 * slow clients are cut: {@link ViewerHttp}.
 */
final class ViewerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViewerServer.class);

    /** The page's files; nothing outside this list is ever read from the class path. */
    private static final Map<String, String> ASSETS =
            Map.of(
                    "index.html", "text/html; charset=utf-8",
                    "common.js", "text/javascript; charset=utf-8",
                    "app.js", "text/javascript; charset=utf-8",
                    "detail.js", "text/javascript; charset=utf-8",
                    "site.js", "text/javascript; charset=utf-8",
                    "style.css", "text/css; charset=utf-8");

    private static final String ASSET_ROOT = "/io/frameflow/viewer/static/";

    private static final String CSP =
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self';"
                    + " connect-src 'self'; frame-ancestors 'none'";

    private static final ObjectMapper JSON = newMapper();
    private final CameraRegistry registry;
    private final TopicFollower follower;
    private final ApiRoutes api;
    private final SettingsPublisher publisher; // null: editing off
    private final AccessToken token;
    private final MjpegStreams streams;
    private final ViewerHttp http;

    ViewerServer(
            ViewerOptions options,
            CameraRegistry registry,
            TopicFollower follower,
            SettingsDocs settings,
            SiteTotals sites)
            throws IOException {
        this.registry = registry;
        this.follower = follower;
        this.token = new AccessToken(options.token());
        // editing settings needs the token: a viewer without one is for looking only
        this.publisher = token.required() ? new SettingsPublisher(options) : null;
        this.api = new ApiRoutes(registry, settings, sites, publisher, token);
        this.streams =
                new MjpegStreams(
                        options.maxStreams(), options.stallTimeoutSeconds(), TimeUnit.SECONDS);
        // each video stream holds a thread; --http-threads is more than --max-streams, so
        // streams never take every thread from the page and the API
        this.http = new ViewerHttp(options, this::handle);
    }

    /**
     * Binds and serves.
     *
     * @throws IOException when the address cannot be bound
     */
    void start() throws IOException {
        try {
            http.start();
        } catch (IOException e) {
            streams.close();
            if (publisher != null) {
                publisher.close();
            }
            throw e;
        }
    }

    /** The JSON the API answers with. */
    static byte[] jsonFor(Object body) throws IOException {
        return JSON.writeValueAsBytes(body);
    }

    /** Stats go out exactly in the frames.stats wire format (non-finite numbers as null). */
    private static ObjectMapper newMapper() {
        StatsJson wire = new StatsJson();
        SimpleModule stats = new SimpleModule("frames.stats");
        stats.addSerializer(
                WindowStats.class,
                new JsonSerializer<>() {
                    @Override
                    public void serialize(
                            WindowStats value, JsonGenerator g, SerializerProvider provider)
                            throws IOException {
                        g.writeRawValue(new String(wire.write(value), StandardCharsets.UTF_8));
                    }
                });
        return new ObjectMapper()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .registerModule(stats);
    }

    /** The bound address (the real port when {@code --port=0}). */
    InetSocketAddress address() {
        return http.address();
    }

    int activeStreams() {
        return streams.active();
    }

    long stalledStreamsCut() {
        return streams.stalledCut();
    }

    private void handle(Exchange ex) {
        try {
            route(ex);
        } catch (IOException e) {
            LOG.debug("Client went away: {}", e.toString());
            ex.fail(e);
        } catch (RuntimeException e) {
            LOG.warn("Request {} failed", ex.getRequestURI().getRawPath(), e);
            trySend(ex, 500, "internal error");
        }
    }

    private void route(Exchange ex) throws IOException {
        String method = ex.getRequestMethod();
        List<String> path;
        try {
            path = segments(ex.getRequestURI().getRawPath());
        } catch (IllegalArgumentException e) {
            // dot segments or broken escapes: there is nothing to find there
            path = null;
        }
        boolean apiPost =
                path != null
                        && path.size() > 1
                        && path.get(0).equals("api")
                        && ApiRoutes.allows(method, path.subList(1, path.size()));
        if (!method.equals("GET") && !method.equals("HEAD") && !apiPost) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            sendText(ex, 405, "method not allowed");
            return;
        }
        if (path == null) {
            sendText(ex, 404, "not found");
            return;
        }
        if (path.size() == 1 && path.get(0).equals("healthz")) {
            health(ex);
            return;
        }
        if (!token.allows(ex)) {
            sendText(ex, 403, "forbidden: missing or wrong token");
            return;
        }
        if (path.isEmpty()) {
            asset(ex, "index.html");
            return;
        }
        String head = path.get(0);
        if (path.size() == 1 && ASSETS.containsKey(head)) {
            asset(ex, head);
        } else if (head.equals("api")) {
            api.handle(ex, path.subList(1, path.size()));
        } else if (head.equals("stream") && path.size() == 2) {
            stream(ex, path.get(1));
        } else if (head.equals("live") && path.size() == 1) {
            live(ex);
        } else {
            sendText(ex, 404, "not found");
        }
    }

    private void stream(Exchange ex, String cameraId) throws IOException {
        Optional<CameraState> camera = registry.get(cameraId);
        if (camera.isEmpty()) {
            sendText(ex, 404, "unknown camera");
            return;
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Type", MjpegStreams.CONTENT_TYPE);
            ex.sendResponseHeaders(200, -1);
            return;
        }
        boolean served =
                streams.serve(
                        camera.get().frame(),
                        () -> {
                            ex.getResponseHeaders().set("Content-Type", MjpegStreams.CONTENT_TYPE);
                            noCache(ex);
                            ex.sendResponseHeaders(200, 0);
                            return ex.getResponseBody();
                        });
        if (!served) {
            sendText(ex, 503, "too many video streams open (see --max-streams)");
        }
    }

    /** Several cameras on one connection: {@code /live?cameras=a,b,c} (ids percent-encoded). */
    private void live(Exchange ex) throws IOException {
        List<String> cameras = new ArrayList<>();
        String raw = ex.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            if (pair.startsWith("cameras=")) {
                for (String id : pair.substring("cameras=".length()).split(",")) {
                    try {
                        String decoded = URLDecoder.decode(id, StandardCharsets.UTF_8);
                        if (!decoded.isEmpty() && !cameras.contains(decoded)) {
                            cameras.add(decoded);
                        }
                    } catch (IllegalArgumentException e) {
                        sendText(ex, 400, "broken escape in cameras");
                        return;
                    }
                }
            }
        }
        if (cameras.isEmpty() || cameras.size() > LiveFrames.MAX_CAMERAS) {
            sendText(
                    ex,
                    400,
                    "ask for 1 to " + LiveFrames.MAX_CAMERAS + " cameras: /live?cameras=a,b,c");
            return;
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Type", LiveFrames.CONTENT_TYPE);
            ex.sendResponseHeaders(200, -1);
            return;
        }
        boolean served =
                streams.serve(
                        new LiveFrames(registry, cameras),
                        () -> {
                            ex.getResponseHeaders().set("Content-Type", LiveFrames.CONTENT_TYPE);
                            noCache(ex);
                            ex.sendResponseHeaders(200, 0);
                            return ex.getResponseBody();
                        });
        if (!served) {
            sendText(ex, 503, "too many video streams open (see --max-streams)");
        }
    }

    /**
     * Liveness for anyone; the details (the Kafka reader's error text names brokers and settings,
     * the counters) only with the token.
     */
    private void health(Exchange ex) throws IOException {
        Map<String, Object> m = status();
        if (!token.allows(ex)) {
            m.keySet().retainAll(List.of("status", "kafkaReachable"));
        }
        send(ex, follower.alive() ? 200 : 503, "application/json", jsonFor(m));
    }

    Map<String, Object> status() {
        boolean up = follower.alive();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", up ? "UP" : "DOWN");
        if (follower.failure() != null) {
            m.put("error", follower.failure().getMessage());
        }
        m.put("kafkaReachable", System.currentTimeMillis() - follower.lastListingOkMs() < 15_000);
        m.put("partitions", follower.partitions());
        m.put("cameras", registry.all().size());
        m.put("framesConsumed", follower.framesConsumed());
        m.put("statsConsumed", follower.statsConsumed());
        m.put("eventsConsumed", follower.eventsConsumed());
        m.put("editing", publisher != null);
        m.put("badRecords", follower.badRecords());
        m.put("activeStreams", streams.active());
        http.status(m);
        return m;
    }

    private void asset(Exchange ex, String name) throws IOException {
        byte[] body;
        try (InputStream in = ViewerServer.class.getResourceAsStream(ASSET_ROOT + name)) {
            if (in == null) {
                sendText(ex, 404, "not found");
                return;
            }
            body = in.readAllBytes();
        }
        if (name.equals("index.html")) {
            ex.getResponseHeaders().set("Content-Security-Policy", CSP);
            if (token.inQuery(ex) && token.cookieSafe()) {
                ex.getResponseHeaders().add("Set-Cookie", token.cookieHeader());
            }
        }
        send(ex, 200, ASSETS.get(name), body);
    }

    /**
     * Splits and percent-decodes a raw path. Dot segments are refused so that nothing can climb out
     * of a route; empty segments (double or trailing slashes) are dropped.
     */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            String s = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (s.equals(".") || s.equals("..") || s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("dot segment");
            }
            out.add(s);
        }
        return out;
    }

    @Override
    public void close() {
        streams.close();
        http.close();
        if (publisher != null) {
            publisher.close();
        }
    }
}
