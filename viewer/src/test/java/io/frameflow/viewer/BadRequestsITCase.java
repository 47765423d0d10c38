package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unknown cameras, path tricks and wrong tokens get a plain 404 or 403; nothing ever shows a stack
 * trace or a file it should not. Requests go over a plain socket so that no client normalizes the
 * path first.
 */
class BadRequestsITCase {

    private static final String ANNOTATED = "bad-annotated";
    private static final String STATS = "bad-stats";
    private static final String TOKEN = "s3cret-Token";
    private static final String CAMERA = "door";

    private static Viewer viewer;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.shared();
        broker.createTopics(1, ANNOTATED, STATS);
        viewer =
                Viewer.start(
                        ViewerOptions.defaults(broker.bootstrapServers())
                                .withPort(0)
                                .withToken(TOKEN)
                                .withTopics(ANNOTATED, STATS));
        port = viewer.port();
        try (KafkaProducer<byte[], byte[]> producer =
                TestCameras.producer(broker.bootstrapServers())) {
            long deadline = System.currentTimeMillis() + 20_000;
            for (int seq = 0; !hasFrameAndStats(); seq++) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                producer.send(
                        TestCameras.annotated(
                                ANNOTATED, CAMERA, seq, TestCameras.drawnFrame(CAMERA, seq)));
                producer.send(
                        new ProducerRecord<>(
                                STATS,
                                CAMERA.getBytes(StandardCharsets.UTF_8),
                                TestCameras.statsJson(
                                                CAMERA,
                                                System.currentTimeMillis(),
                                                10,
                                                1.5,
                                                2,
                                                80,
                                                null)
                                        .getBytes(StandardCharsets.UTF_8)));
                producer.flush();
                Thread.sleep(200);
            }
        }
    }

    private static boolean hasFrameAndStats() {
        return viewer.cameras()
                .get(CAMERA)
                .map(c -> c.frame().latest() != null && c.latestStats() != null)
                .orElse(false);
    }

    @AfterAll
    static void stop() {
        if (viewer != null) {
            viewer.close();
        }
    }

    private static final String AUTH = "X-FrameFlow-Token: " + TOKEN;

    private static TestCameras.Response get(String target, String... headers) throws Exception {
        TestCameras.Response r = TestCameras.rawGet(port, target, headers);
        assertNoLeak(target, r);
        return r;
    }

    private static void assertNoLeak(String target, TestCameras.Response r) {
        if (r.status() >= 400) {
            assertThat(r.body())
                    .as("body of %s", target)
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("java.")
                    .doesNotContain("io.frameflow")
                    .doesNotContain("<html")
                    .hasSizeLessThan(120);
            assertThat(r.header("Content-Type")).as("type of %s", target).startsWith("text/plain");
        }
    }

    @Test
    void theRightTokenOpensEverything() throws Exception {
        assertThat(get("/?token=" + TOKEN).status()).isEqualTo(200);
        assertThat(get("/api/stats", AUTH).status()).isEqualTo(200);
        assertThat(get("/api/cameras", "Authorization: Bearer " + TOKEN).body()).contains(CAMERA);
        assertThat(get("/api/stats/" + CAMERA, "Cookie: frameflow_token=" + TOKEN).body())
                .contains("\"windowEnd\"");
        TestCameras.Response frame = get("/api/frame/" + CAMERA, AUTH);
        assertThat(frame.status()).isEqualTo(200);
        assertThat(frame.header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(frame.body().charAt(0)).isEqualTo((char) 0xFF);
        assertThat(frame.body().charAt(1)).isEqualTo((char) 0xD8);
        assertThat(get("/app.js", AUTH).status()).isEqualTo(200);
    }

    @Test
    void thePageOpenedWithTheTokenSetsACookieForItsImagesAndScripts() throws Exception {
        TestCameras.Response page = get("/?token=" + TOKEN);
        assertThat(page.header("Set-Cookie"))
                .isEqualTo("frameflow_token=" + TOKEN + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'self'");
        assertThat(page.body()).contains("<script src=\"app.js\"");
    }

    @Test
    void aMissingOrWrongTokenIsForbidden() throws Exception {
        for (String target :
                List.of(
                        "/",
                        "/index.html",
                        "/app.js",
                        "/api/cameras",
                        "/api/stats",
                        "/api/frame/" + CAMERA,
                        "/stream/" + CAMERA,
                        "/api/history/" + CAMERA)) {
            assertThat(get(target).status()).as("%s without token", target).isEqualTo(403);
            assertThat(get(target + "?token=wrong").status())
                    .as("%s with a wrong token", target)
                    .isEqualTo(403);
            assertThat(get(target, "X-FrameFlow-Token: " + TOKEN + "x").status())
                    .as("%s with a wrong header", target)
                    .isEqualTo(403);
            assertThat(get(target, "Cookie: frameflow_token=nope").status())
                    .as("%s with a wrong cookie", target)
                    .isEqualTo(403);
        }
        assertThat(get("/healthz").status()).as("health needs no token").isEqualTo(200);
        assertThat(get("/healthz").body()).contains("\"status\":\"UP\"").doesNotContain(CAMERA);
    }

    @Test
    void unknownCamerasAreNotFound() throws Exception {
        for (String target :
                List.of(
                        "/stream/nobody",
                        "/api/frame/nobody",
                        "/api/stats/nobody",
                        "/api/history/nobody",
                        "/stream/" + CAMERA + "x",
                        "/stream/",
                        "/api/nothing",
                        "/api/stats/" + CAMERA + "/more",
                        "/nope.html")) {
            assertThat(get(target, AUTH).status()).as(target).isEqualTo(404);
        }
    }

    @Test
    void pathTraversalFindsNothing() throws Exception {
        for (String target :
                List.of(
                        "/../../../../etc/passwd",
                        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                        "/..%2f..%2f..%2fetc%2fpasswd",
                        "/app.js/../../pom.xml",
                        "/static/../index.html",
                        "/..%5c..%5cwindows%5cwin.ini",
                        "/io/frameflow/viewer/ViewerServer.class",
                        "/io/frameflow/viewer/static/app.js",
                        "/log4j2.properties",
                        "/META-INF/MANIFEST.MF",
                        "/%2fetc%2fpasswd",
                        "/app.js%00.png",
                        "/stream/..%2f..%2fetc%2fpasswd",
                        "/api/frame/%2e%2e")) {
            TestCameras.Response r = get(target, AUTH);
            assertThat(r.status()).as(target).isIn(400, 403, 404);
            assertThat(r.body()).as(target).doesNotContain("root:").doesNotContain("'use strict'");
        }
    }

    @Test
    void aBrokenEscapeIsRefusedByTheServerWithoutATrace() throws Exception {
        // Jetty itself refuses a target that is not a URI, before any route runs; the viewer's
        // error handler answers it in one line of plain text, no page, no stack trace.
        TestCameras.Response r = TestCameras.rawGet(port, "/%zz", AUTH);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.body())
                .doesNotContain("<html")
                .doesNotContain("\tat ")
                .doesNotContain("io.frameflow")
                .hasSizeLessThan(120);
    }

    @Test
    void otherMethodsAreRefusedPlainly() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE")) {
            TestCameras.Response r = TestCameras.rawRequest(port, method, "/api/stats", AUTH);
            assertNoLeak(method, r);
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
        }
    }
}
