package io.frameflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameflow.job.FrameFlowJob;
import io.frameflow.job.FrameFlowOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The FrameFlow job ({@link FrameFlowJob#buildPipeline}, the graph the job's {@code main} wires) on
 * a local MiniCluster (one slot per parallel instance, same JVM as the broker), reading the frames
 * topic from the earliest offset.
 */
final class FlinkSystem implements SystemUnderTest {

    private final JobClient client;
    private final int restPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private FlinkSystem(JobClient client, int restPort) {
        this.client = client;
        this.restPort = restPort;
    }

    static FlinkSystem start(
            String bootstrap, Topics topics, Path model, int parallelism, String checkpointInterval)
            throws Exception {
        return start(
                bootstrap,
                topics,
                model,
                parallelism,
                checkpointInterval,
                System.getProperty("bench.flinkConf", ""));
    }

    /**
     * @param extraConf {@code key=value;key=value} Flink settings on top of the job's own (what-if
     *     runs)
     */
    static FlinkSystem start(
            String bootstrap,
            Topics topics,
            Path model,
            int parallelism,
            String checkpointInterval,
            String extraConf)
            throws Exception {
        return start(
                bootstrap, topics, model, parallelism, checkpointInterval, extraConf, List.of());
    }

    /**
     * @param extraArgs job arguments after the bench's own (e.g. {@code --camera-config})
     */
    static FlinkSystem start(
            String bootstrap,
            Topics topics,
            Path model,
            int parallelism,
            String checkpointInterval,
            String extraConf,
            List<String> extraArgs)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                bootstrap,
                                "--topic.frames",
                                topics.in(),
                                "--topic.detections",
                                topics.detections(),
                                "--topic.annotated",
                                topics.annotated(),
                                "--topic.stats",
                                topics.stats(),
                                "--topic.dlq",
                                topics.dlq(),
                                "--group-id",
                                "bench-" + topics.id(),
                                "--transactional-id-prefix",
                                "bench-" + topics.id(),
                                "--model",
                                model.toString(),
                                "--starting-offsets",
                                "earliest",
                                "--parallelism",
                                String.valueOf(parallelism),
                                "--checkpoint-interval",
                                checkpointInterval));
        args.addAll(extraArgs);
        FrameFlowOptions options =
                FrameFlowOptions.fromArgs(args.toArray(String[]::new)).validate();
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failure ends the run
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        conf.set(RestOptions.BIND_PORT, String.valueOf(port));
        conf.set(RestOptions.PORT, port);
        for (String kv : extraConf.split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                conf.setString(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        return new FlinkSystem(env.executeAsync("FrameFlow bench " + topics.id()), port);
    }

    @Override
    public boolean alive() {
        try {
            return !client.getJobStatus().get(5, TimeUnit.SECONDS).isTerminalState();
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code GET /jobs/:id/checkpoints}. */
    private JsonNode checkpointStats() throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://localhost:"
                                                        + restPort
                                                        + "/jobs/"
                                                        + client.getJobID()
                                                        + "/checkpoints"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    /** One checkpoint of Flink's history: wall-clock ms; {@code completed} -1 until it is. */
    record Checkpoint(long id, long trigger, long lastAck, long completed, String status) {}

    /** The checkpoints in {@code GET /jobs/:id/checkpoints}'s history (the last 10 by default). */
    List<Checkpoint> checkpoints() throws Exception {
        List<Checkpoint> out = new ArrayList<>();
        for (JsonNode c : checkpointStats().path("history")) {
            long trigger = c.path("trigger_timestamp").asLong();
            String status = c.path("status").asText();
            long e2e = c.path("end_to_end_duration").asLong(-1);
            out.add(
                    new Checkpoint(
                            c.path("id").asLong(),
                            trigger,
                            c.path("latest_ack_timestamp").asLong(-1),
                            status.equals("COMPLETED") && e2e >= 0 ? trigger + e2e : -1,
                            status));
        }
        return out;
    }

    /** {@code latest.completed.checkpointed_size} of {@code GET /jobs/:id/checkpoints}. */
    @Override
    public long checkpointBytes() {
        try {
            JsonNode completed = checkpointStats().path("latest").path("completed");
            if (completed.isMissingNode() || completed.isNull()) {
                return -1;
            }
            return completed
                    .path("checkpointed_size")
                    .asLong(completed.path("state_size").asLong(-1));
        } catch (Exception e) {
            System.err.println("checkpoint stats unavailable: " + e);
            return -1;
        }
    }

    @Override
    public void close() throws Exception {
        if (alive()) {
            client.cancel().get(60, TimeUnit.SECONDS);
        }
        // wait for the per-job MiniCluster to wind down before the next run takes the cores
        long deadline = System.currentTimeMillis() + 30_000;
        while (alive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }
}
