package io.frameflow.demo;

import static io.frameflow.connectors.KafkaOptions.*;

import io.frameflow.job.FrameFlowOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates FrameFlow's topics when they are missing (existing ones are left as they are). */
public final class TopicSetup {

    /** Room for an 8 MiB frame plus headers. */
    private static final String MAX_MESSAGE_BYTES = String.valueOf(16 * 1024 * 1024);

    private TopicSetup() {}

    public static void create(FrameFlowOptions options, int partitions) throws Exception {
        Properties props = options.kafkaProperties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.get(BOOTSTRAP_SERVERS));
        List<NewTopic> topics = new ArrayList<>();
        for (var topic :
                List.of(
                        TOPIC_FRAMES,
                        TOPIC_DETECTIONS,
                        TOPIC_ANNOTATED,
                        TOPIC_STATS,
                        TOPIC_EVENTS,
                        TOPIC_SITES,
                        TOPIC_DLQ)) {
            topics.add(
                    new NewTopic(options.get(topic), partitions, (short) -1)
                            .configs(Map.of("max.message.bytes", MAX_MESSAGE_BYTES)));
        }
        // per-camera settings: one document per key, kept by compaction
        topics.add(
                new NewTopic(options.get(TOPIC_CONFIG), 1, (short) -1)
                        .configs(Map.of("cleanup.policy", "compact")));
        // the face gallery: one photo per name, kept by compaction (docs/faces.md)
        topics.add(
                new NewTopic(options.get(TOPIC_FACES), 1, (short) -1)
                        .configs(Map.of("cleanup.policy", "compact")));
        try (Admin admin = Admin.create(props)) {
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}
