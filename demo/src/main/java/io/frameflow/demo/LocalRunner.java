package io.frameflow.demo;

import static io.frameflow.connectors.KafkaOptions.*;
import static io.frameflow.job.JobOptions.JOB_NAME;
import static io.frameflow.job.JobOptions.PARALLELISM;

import io.frameflow.job.FrameFlowJob;
import io.frameflow.job.FrameFlowOptions;
import io.frameflow.job.InferenceStage;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs FrameFlow on this machine for {@code ./frameflow demo}: an embedded Kafka broker (unless
 * {@code --bootstrap-servers} is given), the topics, and the job on a local Flink with the web UI
 * and the Prometheus endpoint. Ctrl-C (SIGINT/SIGTERM) cancels the job and stops the broker.
 *
 * <p>Runner options, before or among the job's: {@code --web-port} (8081), {@code --web-host}
 * (address the web UI binds to, 127.0.0.1: it can cancel jobs and has no login), {@code
 * --prometheus-port} (9249), {@code --partitions} (of the frames topic, 2), {@code --ready-file F}
 * (written with the bootstrap servers once the job runs, for the script to start the producer).
 */
public final class LocalRunner {

    private LocalRunner() {}

    public static void main(String[] args) throws Exception {
        if (FrameFlowOptions.wantsHelp(args)) {
            System.out.println(
                    "LocalRunner [--web-port 8081] [--web-host 127.0.0.1] [--prometheus-port 9249]"
                            + " [--partitions 2]"
                            + " [--ready-file F] [job options]\n");
            System.out.println(FrameFlowOptions.help());
            return;
        }
        int webPort = 8081;
        String webHost = "127.0.0.1";
        int promPort = 9249;
        int partitions = 2;
        Path readyFile = null;
        List<String> jobArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--web-port" -> webPort = Integer.parseInt(args[++i]);
                case "--web-host" -> webHost = args[++i];
                case "--prometheus-port" -> promPort = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--ready-file" -> readyFile = Path.of(args[++i]);
                default -> jobArgs.add(args[i]);
            }
        }
        boolean embedded = !jobArgs.contains("--bootstrap-servers");
        FrameFlowOptions options;
        DetectorSettings settings;
        try {
            options = FrameFlowOptions.fromArgs(jobArgs.toArray(String[]::new)).validate();
            settings = InferenceStage.check(InferenceStage.settings(options));
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }

        EmbeddedKafkaBroker broker = null;
        if (embedded) {
            broker = startBrokerQuietly();
            options = options.with(BOOTSTRAP_SERVERS, broker.bootstrapServers());
        }
        String bootstrap = options.get(BOOTSTRAP_SERVERS);
        TopicSetup.create(options, partitions);

        int parallelism = options.getOptional(PARALLELISM).orElse(partitions);
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        conf.set(RestOptions.PORT, webPort);
        // the web UI can cancel jobs and upload jars: loopback only unless asked otherwise
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.BIND_ADDRESS, webHost);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(promPort));
        // label values as a cluster exports them (flink-conf/config.yaml, the FlinkDeployment):
        // camera "cam-1" stays cam-1 instead of the reporter's default cam_1
        conf.setString("metrics.reporter.prom.filterLabelValueCharacters", "false");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(parallelism);
        new FrameFlowJob(options, InferenceStage.function(settings, options)).buildPipeline(env);
        JobClient job = env.executeAsync(options.get(JOB_NAME));

        EmbeddedKafkaBroker brokerToStop = broker;
        Thread stop =
                new Thread(
                        () -> {
                            System.out.println("Stopping FrameFlow...");
                            try {
                                job.cancel().get(20, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                // already finished or failed: nothing to cancel
                            }
                            if (brokerToStop != null) {
                                try {
                                    brokerToStop.close();
                                } catch (Exception e) {
                                    System.err.println("Kafka broker did not stop cleanly: " + e);
                                }
                            }
                        },
                        "frameflow-stop");
        Runtime.getRuntime().addShutdownHook(stop);

        System.out.printf(
                "%nFrameFlow is running (job %s)%n"
                        + "  Flink web UI:   http://localhost:%d%n"
                        + "  Prometheus:     http://localhost:%d/metrics%n"
                        + "  Kafka:          %s%s%n"
                        + "  Topics:         in %s -> out %s, %s, %s, %s, %s, %s%n"
                        + "  Settings:       %s (compacted; the viewer's zone editor writes it)%n"
                        + "  Model:          %s%n%n",
                job.getJobID(),
                webPort,
                promPort,
                bootstrap,
                embedded ? " (embedded broker)" : "",
                options.get(TOPIC_FRAMES),
                options.get(TOPIC_DETECTIONS),
                options.get(TOPIC_ANNOTATED),
                options.get(TOPIC_STATS),
                options.get(TOPIC_EVENTS),
                options.get(TOPIC_SITES),
                options.get(TOPIC_DLQ),
                options.get(TOPIC_CONFIG),
                options.modelPath());
        if (readyFile != null) {
            Files.writeString(readyFile, bootstrap + "\n");
        }
        try {
            job.getJobExecutionResult().get();
            System.out.println("FrameFlow job finished.");
        } catch (Exception e) {
            System.err.println("FrameFlow job ended: " + e.getMessage());
        }
        if (Arrays.asList(args).contains("--bounded") && broker != null) {
            broker.close();
        }
    }

    /**
     * Kafka's storage formatter prints its bootstrap records to standard output; a newcomer's
     * console should show the addresses, not that. The broker's own logging goes to the log file.
     */
    private static EmbeddedKafkaBroker startBrokerQuietly() throws Exception {
        PrintStream console = System.out;
        System.setOut(
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return EmbeddedKafkaBroker.start();
        } finally {
            System.setOut(console);
        }
    }
}
