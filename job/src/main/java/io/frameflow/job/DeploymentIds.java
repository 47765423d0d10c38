package io.frameflow.job;

import io.frameflow.connectors.KafkaOptions;
import io.frameflow.connectors.sink.DeliveryOptions;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * The names a deployment holds on a shared Kafka cluster, when the command line leaves them unset:
 * the consumer group is {@code <job-name>-<topic.frames>} and the transactional-id prefix is the
 * group. Two jobs that differ in their job name or input topic (two sites, staging beside
 * production) so never fence each other's transactions nor share committed offsets, where one fixed
 * default made them do both.
 */
final class DeploymentIds {

    private DeploymentIds() {}

    /** {@code given} plus the group id and transactional-id prefix it leaves unset. */
    static Configuration withDefaults(Configuration given) {
        Configuration resolved = new Configuration(given);
        String group =
                given.getOptional(KafkaOptions.GROUP_ID)
                        .orElseGet(
                                () ->
                                        slug(given.get(JobOptions.JOB_NAME))
                                                + "-"
                                                + slug(given.get(KafkaOptions.TOPIC_FRAMES)));
        resolved.set(KafkaOptions.GROUP_ID, group);
        if (!given.contains(DeliveryOptions.TRANSACTIONAL_ID_PREFIX)) {
            resolved.set(DeliveryOptions.TRANSACTIONAL_ID_PREFIX, group);
        }
        return resolved;
    }

    /** Lower case, anything but letters, digits, '.', '_' and '-' as '-'. */
    static String slug(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    }
}
