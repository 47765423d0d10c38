package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real local Flink session cluster started with {@code flink-conf/cluster.sh} (JobManager and
 * TaskManagers as separate JVMs), an embedded Kafka broker, and the FrameFlow jar uploaded and run
 * through the REST API the way the web UI and {@code flink run} submit it. {@link #get} gives the
 * one shared by the e2e ITCases (one TaskManager, first batch of frames published, job running),
 * stopped when the run ends; {@link #start} a private one for a fault test (own run dir under
 * e2e/target, own ports, own broker), which the test closes.
 */
final class FrameFlowCluster implements ExtensionContext.Store.CloseableResource {

    static final Duration WINDOW = Duration.ofSeconds(1);
    static final long FRAME_SPACING_MS = 250;

    /** Frames with seq below this form the first batch (before the savepoint). */
    static final int FIRST_BATCH_SEQ = 8;

    final Path root = Project.root();
    final Path runDir;
    final EmbeddedKafkaBroker broker;
    final int restPort;
    final int promPortFirst;
    final String rest;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final String jarId;
    final long baseTs;
    final List<SharedFrame> frames = SharedFrames.interleaved(SharedFrames.load());
    final String runId = UUID.randomUUID().toString().substring(0, 8);
    String jobId;

    static FrameFlowCluster get(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(
                        FrameFlowCluster.class,
                        k -> {
                            try {
                                return new FrameFlowCluster();
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "could not start the local cluster: " + e.getMessage(), e);
                            }
                        },
                        FrameFlowCluster.class);
    }

    private FrameFlowCluster() throws Exception {
        this("cluster", 1, 3, List.of());
        publish(frames.stream().filter(f -> f.seq() < FIRST_BATCH_SEQ).toList());
        // one record that is no image: must end up in frames.dlq only
        KafkaTopics.publish(
                broker.bootstrapServers(),
                List.of(
                        new ProducerRecord<>(
                                "frames",
                                null,
                                baseTs,
                                "broken-cam".getBytes(StandardCharsets.UTF_8),
                                "not a jpeg".getBytes(StandardCharsets.UTF_8))));
        jobId = runJob(null);
    }

    /**
     * A cluster with {@code taskManagers} TaskManagers in {@code e2e/target/<runDirName>}, a broker
     * with the job's topics (2 partitions each), and the job jar uploaded; no job runs yet. {@code
     * promPorts} Prometheus ports are reserved (one per process ever started); {@code settings} are
     * extra {@code key=value} Flink settings for every process.
     */
    private FrameFlowCluster(
            String runDirName, int taskManagers, int promPorts, List<String> settings)
            throws Exception {
        runDir = root.resolve("e2e/target").resolve(runDirName);
        Path jar = JobJar.path();
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(
                2,
                "frames",
                "frames.detections",
                "frames.annotated",
                "frames.stats",
                "frames.events",
                "frames.sites",
                "frames.dlq");
        // the range first, then two ports outside it (a port just closed may be handed out again)
        promPortFirst = freePortRange(promPorts);
        int promPortLast = promPortFirst + promPorts - 1;
        restPort = freePortOutside(promPortFirst, promPortLast, -1);
        int rpcPort = freePortOutside(promPortFirst, promPortLast, restPort);
        rest = "http://localhost:" + restPort;
        List<String> start = new ArrayList<>(List.of("start", Integer.toString(taskManagers)));
        List<String> all = new ArrayList<>();
        all.add("rest.port=" + restPort);
        all.add("metrics.reporter.prom.port=" + promPortFirst + "-" + promPortLast);
        all.add("jobmanager.rpc.port=" + rpcPort);
        all.addAll(settings);
        for (String setting : all) {
            start.add("-D");
            start.add(setting);
        }
        Result started = clusterScript(start.toArray(String[]::new));
        if (started.exit != 0) {
            System.out.println(clusterScript("stop").output);
            broker.close();
            fail("flink-conf/cluster.sh start failed:\n" + started.output);
        }
        try {
            jarId = uploadJar(jar);
        } catch (Exception | AssertionError e) {
            clusterScript("stop");
            broker.close();
            throw e;
        }
        // capture times in the recent past, on a window boundary, 250 ms apart per camera
        baseTs = (System.currentTimeMillis() / 60_000 - 2) * 60_000;
    }

    /**
     * A private cluster for one test class (see the class comment); the caller closes it. Nothing
     * is published and no job runs.
     */
    static FrameFlowCluster start(
            String runDirName, int taskManagers, int promPorts, List<String> settings)
            throws Exception {
        return new FrameFlowCluster(runDirName, taskManagers, promPorts, settings);
    }

    /** The job's arguments for the e2e suite's default run (yolox_nano, job "FrameFlow-e2e"). */
    List<String> jobArgs() {
        return jobArgs(
                "yolox_nano.onnx", "e2e", "2 s", "--camera-config", cameraConfig().toString());
    }

    /**
     * Settings for every camera of the default run: a door line and a counter zone, so the line and
     * zone metrics (and their dashboard panels) have series.
     */
    private Path cameraConfig() {
        Path file = runDir.resolve("cameras.json");
        try {
            Files.writeString(
                    file,
                    "{\"*\":{\"site\":\"e2e\","
                            + "\"lines\":[{\"name\":\"door\",\"points\":[[0.85,0.0],[0.85,1.0]]}],"
                            + "\"zones\":[{\"name\":\"counter\",\"polygon\":[[0.3,0.5],[0.7,0.5],"
                            + "[0.7,1.0],[0.3,1.0]],\"loiterSeconds\":30}]}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The job's arguments on this cluster's broker, with {@link #WINDOW} windows: {@code name}
     * names the job ({@code FrameFlow-<name>}) and prefixes its group and transactional ids; a test
     * adds its own options in {@code extra}.
     */
    List<String> jobArgs(String model, String name, String checkpointInterval, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--model",
                                SharedResources.model(model).toString(),
                                "--device",
                                "cpu",
                                "--window-size",
                                WINDOW.toMillis() + " ms",
                                "--out-of-orderness",
                                "0 ms",
                                "--checkpoint-interval",
                                checkpointInterval,
                                "--starting-offsets",
                                "earliest",
                                "--group-id",
                                name + "-" + runId,
                                "--transactional-id-prefix",
                                name + "-" + runId,
                                "--job-name",
                                "FrameFlow-" + name));
        args.addAll(List.of(extra));
        return args;
    }

    /** Runs the uploaded jar (from a savepoint when given) and waits until it is RUNNING. */
    String runJob(String savepoint) throws Exception {
        return runJob(jobArgs(), 2, savepoint);
    }

    /**
     * Runs the uploaded jar with {@code programArgs} at {@code parallelism} (from a savepoint when
     * given) and waits until it and all its tasks are RUNNING.
     */
    String runJob(List<String> programArgs, int parallelism, String savepoint) throws Exception {
        ObjectNode body = Project.JSON.createObjectNode();
        ArrayNode args = body.putArray("programArgsList");
        programArgs.forEach(args::add);
        body.put("parallelism", parallelism);
        body.put("entryClass", JobJar.MAIN_CLASS);
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
            body.put("allowNonRestoredState", false);
        }
        JsonNode response = post("/jars/" + jarId + "/run", body.toString(), "application/json");
        String id = response.path("jobid").asText();
        assertThat(id).as("job id from /jars/:id/run: " + response).isNotBlank();
        waitFor(
                "job " + id + " RUNNING",
                Duration.ofSeconds(90),
                () -> {
                    JsonNode job = get("/jobs/" + id);
                    String state = job.path("state").asText();
                    assertThat(state).as("job state").isNotIn("FAILED", "CANCELED", "FINISHED");
                    boolean allRunning = true;
                    for (JsonNode v : job.path("vertices")) {
                        allRunning &= v.path("status").asText().equals("RUNNING");
                    }
                    return state.equals("RUNNING") && allRunning;
                });
        return id;
    }

    /** Waits until the job and all of its tasks are RUNNING (again, after a restart). */
    void awaitRunning(String id, Duration timeout) throws Exception {
        waitFor(
                "job " + id + " and all its tasks RUNNING",
                timeout,
                () -> {
                    JsonNode job = get("/jobs/" + id);
                    String state = job.path("state").asText();
                    assertThat(state).as("job state").isNotIn("FAILED", "CANCELED", "FINISHED");
                    boolean allRunning = state.equals("RUNNING");
                    for (JsonNode v : job.path("vertices")) {
                        allRunning &= v.path("status").asText().equals("RUNNING");
                    }
                    return allRunning;
                });
    }

    /** The job's {@code numRestarts} metric (restarts since submission). */
    long numRestarts(String id) throws Exception {
        JsonNode metrics = get("/jobs/" + id + "/metrics?get=numRestarts");
        for (JsonNode m : metrics) {
            if (m.path("id").asText().equals("numRestarts")) {
                return Long.parseLong(m.path("value").asText());
            }
        }
        return fail("no numRestarts metric for job " + id + ": " + metrics);
    }

    /** Completed checkpoints of the job (all attempts since submission). */
    long completedCheckpoints(String id) throws Exception {
        return get("/jobs/" + id + "/checkpoints").at("/counts/completed").asLong();
    }

    /** Resource ids of the TaskManagers that run at least one task of the job. */
    java.util.SortedSet<String> taskManagersOf(String id) throws Exception {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (JsonNode v : get("/jobs/" + id).path("vertices")) {
            JsonNode tms =
                    get("/jobs/" + id + "/vertices/" + v.path("id").asText() + "/taskmanagers");
            for (JsonNode tm : tms.path("taskmanagers")) {
                if (tm.path("status").asText().equals("RUNNING")) {
                    out.add(tm.path("taskmanager-id").asText());
                }
            }
        }
        return out;
    }

    /**
     * Stops the job with a savepoint (no drain: windows stay open in the savepoint) and returns its
     * location once the job is FINISHED.
     */
    String stopWithSavepoint(String id, Duration timeout) throws Exception {
        return savepoint(
                id,
                "/stop",
                "{\"drain\": false, \"targetDirectory\": \"%s\"}",
                "FINISHED",
                timeout);
    }

    /** Cancels the job with a savepoint and returns its location once the job is CANCELED. */
    String cancelWithSavepoint(String id, Duration timeout) throws Exception {
        return savepoint(
                id,
                "/savepoints",
                "{\"cancel-job\": true, \"target-directory\": \"%s\"}",
                "CANCELED",
                timeout);
    }

    /**
     * Triggers a savepoint through {@code POST /jobs/:id<operation>} with {@code bodyFormat} (the
     * target directory filled in), waits for it and for the job to reach {@code finalState}.
     */
    private String savepoint(
            String id, String operation, String bodyFormat, String finalState, Duration timeout)
            throws Exception {
        Path dir = runDir.resolve("savepoints-e2e");
        JsonNode trigger =
                post(
                        "/jobs/" + id + operation,
                        String.format(bodyFormat, dir.toUri()),
                        "application/json");
        String requestId = trigger.path("request-id").asText();
        assertThat(requestId).as("savepoint trigger: " + trigger).isNotBlank();
        String[] location = new String[1];
        waitFor(
                "savepoint (" + operation + ") of " + id,
                timeout,
                () -> {
                    JsonNode status = get("/jobs/" + id + "/savepoints/" + requestId);
                    if (!status.at("/status/id").asText().equals("COMPLETED")) {
                        return false;
                    }
                    assertThat(status.at("/operation/failure-cause").isMissingNode())
                            .as("savepoint failed: " + status)
                            .isTrue();
                    location[0] = status.at("/operation/location").asText();
                    return true;
                });
        waitFor(
                "job " + id + " " + finalState,
                timeout,
                () -> get("/jobs/" + id).path("state").asText().equals(finalState));
        assertThat(location[0]).startsWith("file:");
        return location[0];
    }

    /** {@code flink-conf/cluster.sh taskmanager ARGS}; fails the test when the script fails. */
    String taskManagerScript(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("taskmanager"));
        all.addAll(List.of(args));
        Result r = clusterScript(all.toArray(String[]::new));
        assertThat(r.exit).as("cluster.sh " + String.join(" ", all) + ":\n" + r.output).isZero();
        return r.output;
    }

    void publish(List<SharedFrame> batch) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (SharedFrame f : batch) {
            records.add(frameRecord(f.camera(), f.seq(), captureTs(f), f.jpeg()));
        }
        KafkaTopics.publish(broker.bootstrapServers(), records);
    }

    /** A frame as a camera publishes it: key camera, timestamp capture time, seq header. */
    static ProducerRecord<byte[], byte[]> frameRecord(
            String camera, long seq, long captureTs, byte[] jpeg) {
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        "frames", null, captureTs, camera.getBytes(StandardCharsets.UTF_8), jpeg);
        r.headers().add("seq", Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        r.headers().add("content-type", "image/jpeg".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    long captureTs(SharedFrame f) {
        return baseTs + f.seq() * FRAME_SPACING_MS;
    }

    // ---- REST ----

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(rest + path))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return Project.JSON.readTree(r.body());
    }

    JsonNode post(String path, String json, String contentType)
            throws IOException, InterruptedException {
        return post(path, HttpRequest.BodyPublishers.ofString(json), contentType);
    }

    JsonNode post(String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(rest + path))
                                .timeout(Duration.ofSeconds(120))
                                .header("Content-Type", contentType)
                                .POST(body)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST " + path + ": " + r.body()).isBetween(200, 202);
        return Project.JSON.readTree(r.body());
    }

    /** POST /jars/upload, multipart as the web UI sends it; returns the jar id. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "frameflow-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\n"
                                + "Content-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode response =
                post(
                        "/jars/upload",
                        HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                        "multipart/form-data; boundary=" + boundary);
        assertThat(response.path("status").asText()).isEqualTo("success");
        String file = response.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    // ---- helpers ----

    interface Check {
        boolean test() throws Exception;
    }

    static void waitFor(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (check.test()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    static <T> T poll(
            String what, Duration timeout, Check check, java.util.concurrent.Callable<T> value)
            throws Exception {
        waitFor(what, timeout, check);
        return value.call();
    }

    record Result(int exit, String output) {}

    Result clusterScript(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(root.resolve("flink-conf/cluster.sh").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FRAMEFLOW_CLUSTER_DIR", runDir.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A free port outside {@code [first, last]} and other than {@code taken}. */
    static int freePortOutside(int first, int last, int taken) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
            if ((port < first || port > last) && port != taken) {
                return port;
            }
        }
        throw new IOException("no free port outside " + first + "-" + last);
    }

    /** The first of {@code n} consecutive free ports. */
    static int freePortRange(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            if (first + n > 65535) {
                continue;
            }
            boolean free = true;
            for (int p = first + 1; p < first + n && free; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no " + n + " consecutive free ports");
    }

    static <T> List<T> filter(List<T> in, Predicate<T> p) {
        return in.stream().filter(p).toList();
    }

    @Override
    public void close() throws Throwable {
        try {
            Result stopped = clusterScript("stop");
            System.out.println("cluster.sh stop:\n" + stopped.output);
        } finally {
            broker.close();
        }
    }
}
