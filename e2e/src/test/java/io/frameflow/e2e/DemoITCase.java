package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.testkit.SharedResources;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, {@code ./frameflow demo}, run as a newcomer runs it: embedded broker,
 * the job on a local Flink with its web UI, the producer publishing the sample videos and the live
 * viewer. Frames must come out as window stats in the viewer; the web UI and the viewer must listen
 * on loopback only (issue 8, access); SIGTERM (Ctrl-C) must stop every process it started.
 */
class DemoITCase {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The viewer's token, once the demo printed it; sent to every server (only the viewer reads
     * it).
     */
    private String viewerToken;

    @Test
    void demoRunsEndToEndOnLoopbackOnlyAndStopsCleanly() throws Exception {
        Path root = Project.root();
        int webPort = FrameFlowCluster.freePort();
        int promPort = FrameFlowCluster.freePort();
        int viewerPort = FrameFlowCluster.freePort();
        Path log = root.resolve("e2e/target/demo-it.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb =
                new ProcessBuilder(
                                "bash",
                                root.resolve("frameflow").toString(),
                                "demo",
                                "--cameras",
                                "2",
                                "--fps",
                                "4",
                                "--duration",
                                "180s",
                                "--web-port",
                                Integer.toString(webPort),
                                "--prometheus-port",
                                Integer.toString(promPort),
                                "--viewer-port",
                                Integer.toString(viewerPort),
                                "--",
                                "--window-size",
                                "2 s")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.environment().put("FRAMEFLOW_SHARED", SharedResources.root().toString());
        pb.environment().put("FRAMEFLOW_STATUS_SECONDS", "3");
        Process demo = pb.start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            FrameFlowCluster.waitFor(
                    "the demo to print the viewer address (" + log + ")",
                    Duration.ofSeconds(240),
                    () -> {
                        assertThat(demo.isAlive()).as("demo alive; log:\n" + tail(log)).isTrue();
                        return Files.readString(log).contains("Live viewer:");
                    });
            demo.descendants().forEach(started::add);
            assertThat(started)
                    .as("runner, producer and viewer JVMs")
                    .hasSizeGreaterThanOrEqualTo(3);

            // the job runs in the local Flink, visible in its web UI on loopback
            JsonNode jobs = getJson("http://127.0.0.1:" + webPort + "/jobs/overview");
            assertThat(jobs.path("jobs")).hasSize(1);
            assertThat(jobs.path("jobs").get(0).path("name").asText()).isEqualTo("FrameFlow demo");
            assertThat(jobs.path("jobs").get(0).path("state").asText()).isEqualTo("RUNNING");

            // the viewer's address carries a fresh token (the page may then edit zones)
            Matcher address =
                    Pattern.compile(
                                    "Live viewer: +(http://127\\.0\\.0\\.1:\\d+/)\\?token=([A-Za-z0-9]{20}) ")
                            .matcher(Files.readString(log));
            assertThat(address.find()).as("viewer address with token in:\n" + tail(log)).isTrue();
            long shownAt = System.nanoTime();
            String viewer = address.group(1);
            viewerToken = address.group(2);
            assertThat(viewer).isEqualTo("http://127.0.0.1:" + viewerPort + "/");

            // frames went all the way through: both cameras have window stats in the viewer
            FrameFlowCluster.waitFor(
                    "window stats of cam-1 and cam-2 in the viewer",
                    Duration.ofSeconds(150),
                    () -> {
                        JsonNode stats = getJson(viewer + "api/stats");
                        return stats.has("cam-1")
                                && stats.has("cam-2")
                                && stats.path("cam-1").path("frames").asLong() > 0;
                    });

            // the demo set up a line and a zone per camera (the viewer draws them from the
            // settings topic), and events show in the viewer within a minute of its address
            JsonNode settings = getJson(viewer + "api/settings/cam-1");
            assertThat(settings.path("document").path("lines").get(0).path("name").asText())
                    .as("cam-1 plays the one-by-one clip: its exit line")
                    .isEqualTo("exit");
            assertThat(settings.path("defaults").path("zones").get(0).path("name").asText())
                    .isEqualTo("floor");
            FrameFlowCluster.waitFor(
                    "events of the demo's cameras in the viewer",
                    Duration.ofSeconds(90),
                    () -> {
                        long events = 0;
                        for (JsonNode c : getJson(viewer + "api/cameras").path("cameras")) {
                            events += c.path("events").asLong();
                        }
                        return events > 0;
                    });
            long firstEventSeconds = (System.nanoTime() - shownAt) / 1_000_000_000L;
            System.out.println(
                    "First event in the viewer " + firstEventSeconds + " s after its address");
            // the console: a status line every few seconds, no Kafka storage-format dump
            FrameFlowCluster.waitFor(
                    "a status line with the events",
                    Duration.ofSeconds(30),
                    () ->
                            Pattern.compile(
                                            "(?m)^\\d\\d:\\d\\d:\\d\\d  2 cameras · [1-9]\\d* annotated"
                                                    + " frames · [1-9]\\d* events$")
                                    .matcher(Files.readString(log))
                                    .find());
            assertThat(Files.readString(log))
                    .doesNotContain("Bootstrap metadata", "Formatting metadata");
            assertThat(firstEventSeconds)
                    .as("first event after the viewer's address, s")
                    .isLessThanOrEqualTo(60);

            // the demo labels cameras as a cluster does (filterLabelValueCharacters: false in
            // flink-conf/config.yaml and the FlinkDeployment): cam-1, not the reporter's cam_1
            String metrics = getText("http://127.0.0.1:" + promPort + "/metrics");
            assertThat(metrics)
                    .contains(FrameFlowMetrics.FRAMES_IN + "{")
                    .contains("camera=\"cam-1\"")
                    .doesNotContain("camera=\"cam_1\"");

            // access: the web UI (it can cancel jobs) and the viewer listen on loopback only
            for (int port : List.of(webPort, viewerPort)) {
                List<String> listening = listeningAddresses(port);
                assertThat(listening).as("listening sockets on port " + port).isNotEmpty();
                assertThat(listening)
                        .as("port " + port + " listens on loopback only")
                        .allMatch(a -> a.equals("127.0.0.1") || a.equals("::1"));
                // 127.0.0.2 is this host too (all of 127/8 is loopback on Linux) but not the
                // address bound: it reaches a socket on every interface, never one on 127.0.0.1,
                // so the check holds on a machine without another interface as well
                List<InetAddress> elsewhere = new ArrayList<>(nonLoopbackAddresses());
                elsewhere.add(InetAddress.getByName("127.0.0.2"));
                for (InetAddress external : elsewhere) {
                    assertThatThrownBy(() -> connect(external, port))
                            .as(external + ":" + port + " must refuse connections")
                            .isInstanceOf(ConnectException.class);
                }
            }
            // the Prometheus reporter has no bind option: it listens on every interface (read-only
            // metrics; docs/deploy.md says so and how to firewall it) - asserted, so a change shows
            assertThat(listeningAddresses(promPort))
                    .as("Prometheus reporter port " + promPort)
                    .isNotEmpty()
                    .allMatch(a -> a.equals("0.0.0.0") || a.equals("::"));
            connect(InetAddress.getByName("127.0.0.2"), promPort);
            System.out.printf(
                    "demo: web UI %d and viewer %d on loopback only, not reachable on %s;"
                            + " Prometheus %d listens on %s%n",
                    webPort,
                    viewerPort,
                    nonLoopbackAddresses(),
                    promPort,
                    listeningAddresses(promPort));
        } finally {
            // Ctrl-C: the script stops the producer, the viewer and the runner (job + broker)
            demo.destroy();
            boolean exited = demo.waitFor(90, TimeUnit.SECONDS);
            List<ProcessHandle> left = started.stream().filter(ProcessHandle::isAlive).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            if (!exited) {
                demo.destroyForcibly();
            }
            assertThat(exited).as("demo exits within 90 s of SIGTERM; log:\n" + tail(log)).isTrue();
            assertThat(left).as("processes left running after the demo stopped").isEmpty();
        }
        assertThat(Files.readString(log)).contains("FrameFlow stopped.");
        for (int port : List.of(webPort, viewerPort, promPort)) {
            assertThat(listeningAddresses(port)).as("port " + port + " released").isEmpty();
        }
    }

    private JsonNode getJson(String url) throws IOException, InterruptedException {
        return Project.JSON.readTree(getText(url));
    }

    private String getText(String url) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (viewerToken != null) {
            request.header("X-FrameFlow-Token", viewerToken);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 3000);
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /**
     * Local addresses of the sockets listening on {@code port}, from the kernel's table ({@code
     * /proc/net/tcp} and {@code tcp6}): "0.0.0.0" or "::" means every interface.
     */
    static List<String> listeningAddresses(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A")) { // 0A = LISTEN
                    continue;
                }
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) {
                    out.add(decode(local[0]));
                }
            }
        }
        return out;
    }

    /** A /proc/net address: IPv4 as one little-endian word, IPv6 as four of them. */
    private static String decode(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = (word * 4 + (3 - b)) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        InetAddress a = InetAddress.getByAddress(bytes);
        String s = a.getHostAddress().toLowerCase(Locale.ROOT);
        if (s.equals("0:0:0:0:0:0:0:0")) {
            return "::";
        }
        if (s.equals("0:0:0:0:0:0:0:1")) {
            return "::1";
        }
        if (s.startsWith("0:0:0:0:0:ffff:")) {
            return "::ffff:" + s.substring("0:0:0:0:0:ffff:".length());
        }
        return s;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
