package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.KafkaTopics;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The camera {@code walk} of the whole-job model ITCases: {@code face-walk-pause}'s 14 frames of
 * media/frames (3 people facing the camera on every frame, by eye: ground_truth.csv), 500 ms apart,
 * and the bounded job run over them.
 */
final class WalkCamera {

    static final String CAMERA = "walk";
    static final int FRAMES = 14;

    private WalkCamera() {}

    /** Publishes the frames to the input topic; returns each frame's JPEG by seq. */
    static Map<Long, byte[]> publish(EmbeddedKafkaBroker broker, JobTopics topics)
            throws Exception {
        List<SharedFrame> camera =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("face-walk-pause"))
                        .toList();
        assertThat(camera).hasSize(FRAMES);
        long base = (System.currentTimeMillis() / 10_000) * 10_000 - 120_000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<Long, byte[]> jpegs = new TreeMap<>();
        for (int i = 0; i < camera.size(); i++) {
            records.add(
                    WireRecords.frame(
                            topics.frames(), CAMERA, i, base + i * 500L, camera.get(i).jpeg()));
            jpegs.put((long) i, camera.get(i).jpeg());
        }
        KafkaTopics.publish(broker.bootstrapServers(), records);
        return jpegs;
    }

    /** Runs the bounded job of these options to its end on 2 slots, without restarts. */
    static void run(FrameFlowOptions options, String name) throws Exception {
        Configuration conf = FrameFlowJob.flinkConfiguration(options);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        FrameFlowJob.forOptions(options).buildPipeline(env);
        env.execute(name);
    }
}
