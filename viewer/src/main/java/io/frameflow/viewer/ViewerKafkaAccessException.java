package io.frameflow.viewer;

import org.apache.kafka.common.KafkaException;

/** Kafka refused the viewer (wrong credentials or missing ACLs): retrying will not help. */
public final class ViewerKafkaAccessException extends RuntimeException {

    ViewerKafkaAccessException(String bootstrapServers, KafkaException cause) {
        super(
                "Kafka at "
                        + bootstrapServers
                        + " refused the viewer: "
                        + cause.getMessage()
                        + ". Check the --kafka.security.protocol / --kafka.sasl.* settings (user,"
                        + " password, mechanism) and the topic ACLs.",
                cause);
    }
}
