package io.frameflow.viewer;

import static io.frameflow.viewer.HttpResponses.*;

import io.frameflow.records.CameraEvent;
import io.frameflow.records.WindowStats;
import io.frameflow.records.settings.CameraConfigFile;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import io.frameflow.records.settings.SettingsResolver;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's JSON and image API under {@code /api/}:
 *
 * <ul>
 *   <li>{@code cameras}: every camera with its frame count, site, newest window and line and zone
 *       counts
 *   <li>{@code stats}, {@code stats/<camera>}: newest window per camera
 *   <li>{@code history/<camera>}: persons per window over the last minutes
 *   <li>{@code frame/<camera>}: the newest JPEG
 *   <li>{@code events/<camera>?type=&name=&limit=}: newest events first
 *   <li>{@code snapshot/<camera>/<event id>}: the annotated frame closest to that event
 *   <li>{@code sites}, {@code sites/<site>}: site totals, newest window per site, or the site's
 *       windows over the last minutes
 *   <li>{@code settings/<camera>}: GET the camera's and the defaults' documents; POST publishes a
 *       new document for the camera (the zone editor) with the token in a header
 * </ul>
 */
final class ApiRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final int MAX_EVENTS_ANSWERED = CameraEvents.MAX_EVENTS;

    private final CameraRegistry registry;
    private final SettingsDocs settings;
    private final SiteTotals sites;
    private final SettingsPublisher publisher; // null: editing is off (no token)
    private final AccessToken token;

    ApiRoutes(
            CameraRegistry registry,
            SettingsDocs settings,
            SiteTotals sites,
            SettingsPublisher publisher,
            AccessToken token) {
        this.registry = registry;
        this.settings = settings;
        this.sites = sites;
        this.publisher = publisher;
        this.token = token;
    }

    /** Whether {@code method} may be used on {@code path} (below {@code /api/}). */
    static boolean allows(String method, List<String> path) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        return method.equals("POST") && path.size() == 2 && path.get(0).equals("settings");
    }

    void handle(Exchange ex, List<String> path) throws IOException {
        String what = path.isEmpty() ? "" : path.get(0);
        if (path.size() == 1 && what.equals("cameras")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("serverTime", System.currentTimeMillis());
            body.put("editing", publisher != null);
            body.put("cameras", cameras());
            sendJson(ex, body);
            return;
        }
        if (path.size() == 1 && what.equals("stats")) {
            Map<String, WindowStats> all = new LinkedHashMap<>();
            for (CameraState c : registry.all()) {
                if (c.latestStats() != null) {
                    all.put(c.camera(), c.latestStats());
                }
            }
            sendJson(ex, all);
            return;
        }
        if (what.equals("sites") && path.size() <= 2) {
            if (path.size() == 1) {
                sendJson(ex, Map.of("sites", sites.summary()));
                return;
            }
            List<SiteTotals.Point> points = sites.points(path.get(1));
            if (points == null) {
                sendText(ex, 404, "unknown site");
            } else {
                sendJson(ex, Map.of("site", path.get(1), "points", points));
            }
            return;
        }
        if (path.size() == 2 && what.equals("settings")) {
            settings(ex, path.get(1));
            return;
        }
        if (path.size() < 2 || path.size() > 3 || (path.size() == 3 && !what.equals("snapshot"))) {
            sendText(ex, 404, "not found");
            return;
        }
        Optional<CameraState> camera = registry.get(path.get(1));
        if (camera.isEmpty()) {
            sendText(ex, 404, "unknown camera");
            return;
        }
        CameraState c = camera.get();
        switch (what) {
            case "stats" -> {
                if (c.latestStats() == null) {
                    sendText(ex, 404, "no stats yet for this camera");
                } else {
                    sendJson(ex, c.latestStats());
                }
            }
            case "history" -> sendJson(ex, Map.of("camera", c.camera(), "points", c.history()));
            case "frame" -> sendFrame(ex, c.frame().latest(), "no frame yet for this camera");
            case "events" -> events(ex, c);
            case "snapshot" -> {
                if (path.size() != 3) {
                    sendText(ex, 404, "not found");
                    return;
                }
                long id;
                try {
                    id = Long.parseLong(path.get(2));
                } catch (NumberFormatException e) {
                    sendText(ex, 404, "no such event");
                    return;
                }
                sendFrame(ex, c.events().snapshot(id), "no snapshot for this event (any more)");
            }
            default -> sendText(ex, 404, "not found");
        }
    }

    private List<Map<String, Object>> cameras() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CameraState c : registry.all()) {
            LatestFrame.Frame f = c.frame().latest();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", c.camera());
            m.put("site", settings.site(c.camera()));
            m.put("frames", c.framesReceived());
            m.put("lastFrameTs", f == null ? null : f.timestamp());
            m.put("seq", f == null ? null : f.seq());
            m.put("model", f == null ? null : f.model());
            m.put("stats", c.latestStats());
            m.put("events", c.events().received());
            m.put("lines", c.events().lineCounts());
            m.put("zones", c.events().zoneCounts());
            list.add(m);
        }
        return list;
    }

    private static void sendFrame(Exchange ex, LatestFrame.Frame f, String missing)
            throws IOException {
        if (f == null) {
            sendText(ex, 404, missing);
            return;
        }
        ex.getResponseHeaders().set("X-Seq", String.valueOf(f.seq()));
        ex.getResponseHeaders().set("X-Timestamp", String.valueOf(f.timestamp()));
        send(ex, 200, "image/jpeg", f.jpeg());
    }

    private void events(Exchange ex, CameraState c) throws IOException {
        Map<String, String> q = query(ex);
        String type = q.get("type");
        String name = q.get("name");
        int limit = MAX_EVENTS_ANSWERED;
        try {
            if (q.containsKey("limit")) {
                limit =
                        Math.max(
                                1, Math.min(MAX_EVENTS_ANSWERED, Integer.parseInt(q.get("limit"))));
            }
        } catch (NumberFormatException e) {
            sendText(ex, 400, "limit must be a whole number");
            return;
        }
        Predicate<CameraEvent> filter =
                e ->
                        (type == null || type.isEmpty() || e.type().wireName().equals(type))
                                && (name == null || name.isEmpty() || name.equals(e.name()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("camera", c.camera());
        body.put("events", c.events().newest(filter, limit));
        sendJson(ex, body);
    }

    private void settings(Exchange ex, String camera) throws IOException {
        if (ex.getRequestMethod().equals("POST")) {
            publish(ex, camera);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("camera", camera);
        body.put("editing", publisher != null);
        body.put("document", rawJson(settings.document(camera)));
        body.put("defaults", rawJson(settings.document(SettingsResolver.DEFAULTS_KEY)));
        sendJson(ex, body);
    }

    private static Object rawJson(String json) {
        return json == null ? null : new com.fasterxml.jackson.databind.util.RawValue(json);
    }

    /**
     * The zone editor's save. Only with the token in a header (a page cannot be made to send a
     * header to another site, unlike a cookie), checked like the topic's records are checked by the
     * job, and acknowledged by Kafka before the answer.
     */
    private void publish(Exchange ex, String camera) throws IOException {
        if (publisher == null) {
            sendText(ex, 403, "editing is off: start the viewer with --token to allow it");
            return;
        }
        if (!token.inHeader(ex)) {
            sendText(ex, 403, "saving settings needs the token in the X-FrameFlow-Token header");
            return;
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            sendText(ex, 415, "send the settings document as application/json");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(CameraSettingsJson.MAX_DOCUMENT_BYTES + 1);
        }
        if (body.length > CameraSettingsJson.MAX_DOCUMENT_BYTES) {
            sendText(
                    ex,
                    413,
                    "a settings document has at most "
                            + CameraSettingsJson.MAX_DOCUMENT_BYTES
                            + " bytes");
            return;
        }
        byte[] canonical;
        try {
            SettingsResolver.checkKey(camera);
            canonical = new CameraSettingsJson().write(CameraConfigFile.parseDocument(body));
        } catch (SettingsException e) {
            sendText(ex, 400, "refused: " + e.getMessage());
            return;
        }
        long offset;
        try {
            offset = publisher.publish(camera, canonical);
        } catch (SettingsPublisher.SettingsNotPublishedException e) {
            LOG.warn("Settings for {} not published: {}", camera, e.getMessage());
            sendText(ex, 503, e.getMessage());
            return;
        }
        LOG.info(
                "Published settings for camera {} from the zone editor (offset {})",
                camera,
                offset);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("camera", camera);
        answer.put("offset", offset);
        answer.put(
                "document",
                rawJson(new String(canonical, java.nio.charset.StandardCharsets.UTF_8)));
        sendJson(ex, answer);
    }

    private static Map<String, String> query(Exchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(
                        java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a broken escape: the parameter is ignored
            }
        }
        return out;
    }

    static void sendJson(Exchange ex, Object body) throws IOException {
        noCache(ex);
        send(ex, 200, "application/json", ViewerServer.jsonFor(body));
    }
}
