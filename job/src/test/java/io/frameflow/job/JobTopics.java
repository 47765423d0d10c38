package io.frameflow.job;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.ForkedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The five topics and the consumer group of one job run in an ITCase on a real broker, and the
 * {@link FrameFlowJob} arguments every such ITCase passes: the broker, the topics, {@code
 * --group-id}, {@code --transactional-id-prefix}, YOLOX-nano as {@code --model} and {@code
 * --starting-offsets earliest}. Each test adds its own options after these. (Job ITCases that are
 * not about Kafka use a {@link PipelineRun} instead.)
 *
 * @param transactionalIdPrefix {@code --transactional-id-prefix}, or null for the job's default
 */
record JobTopics(
        String frames,
        String detections,
        String annotated,
        String stats,
        String dlq,
        String groupId,
        String transactionalIdPrefix) {

    /** One run's topics; the group id doubles as the sinks' transactional-id prefix. */
    static JobTopics of(
            String frames,
            String detections,
            String annotated,
            String stats,
            String dlq,
            String groupId) {
        return new JobTopics(frames, detections, annotated, stats, dlq, groupId, groupId);
    }

    /** The same run without {@code --transactional-id-prefix} (the job's default prefix). */
    JobTopics withDefaultTransactionalIdPrefix() {
        return new JobTopics(frames, detections, annotated, stats, dlq, groupId, null);
    }

    /** The five topic names: frames, detections, annotated, stats, dead letters. */
    String[] names() {
        return new String[] {frames, detections, annotated, stats, dlq};
    }

    /** Creates the five topics with {@code partitions} partitions each; returns this. */
    JobTopics createOn(EmbeddedKafkaBroker broker, int partitions)
            throws ExecutionException, InterruptedException {
        broker.createTopics(partitions, names());
        return this;
    }

    /** Creates the five topics with {@code partitions} partitions each; returns this. */
    JobTopics createOn(ForkedKafkaBroker broker, int partitions)
            throws ExecutionException, InterruptedException {
        broker.createTopics(partitions, names());
        return this;
    }

    /** The common arguments (see the class comment), in a list the caller may extend. */
    List<String> args(String bootstrapServers) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                bootstrapServers,
                                "--topic.frames",
                                frames,
                                "--topic.detections",
                                detections,
                                "--topic.annotated",
                                annotated,
                                "--topic.stats",
                                stats,
                                "--topic.dlq",
                                dlq,
                                "--group-id",
                                groupId,
                                "--model",
                                SharedResources.model("yolox_nano.onnx").toString(),
                                "--starting-offsets",
                                "earliest"));
        if (transactionalIdPrefix != null) {
            args.addAll(List.of("--transactional-id-prefix", transactionalIdPrefix));
        }
        return args;
    }

    /** The common arguments followed by {@code extra}, parsed and validated. */
    FrameFlowOptions options(String bootstrapServers, String... extra) {
        List<String> args = args(bootstrapServers);
        args.addAll(List.of(extra));
        return FrameFlowOptions.fromArgs(args.toArray(String[]::new)).validate();
    }
}
