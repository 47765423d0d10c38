package io.frameflow.connectors.sink;

import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Whether the Kafka client on the classpath has what flink-connector-kafka's transactional writer
 * calls. The connector (5.0.0-2.2, built against kafka-clients 4.2.0) calls the internal {@code
 * TransactionalRequestResult.await()}, which kafka-clients 4.3 replaced with {@code await(long,
 * TimeUnit, String)}: with 4.3.x an EXACTLY_ONCE sink fails every checkpoint with NoSuchMethodError
 * and the job restarts forever. Checking at build time turns that into a clear start-up error.
 */
public final class ExactlyOnceSupport {

    private static final String INTERNAL_CLASS =
            "org.apache.kafka.clients.producer.internals.TransactionalRequestResult";

    private ExactlyOnceSupport() {}

    public static boolean available() {
        try {
            Class.forName(INTERNAL_CLASS, false, ExactlyOnceSupport.class.getClassLoader())
                    .getMethod("await");
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return false;
        }
    }

    /** Fails with what to do instead when EXACTLY_ONCE cannot work on this classpath. */
    public static void check(String topic) {
        if (!available()) {
            throw new IllegalArgumentException(
                    "Kafka sink for topic "
                            + topic
                            + ": EXACTLY_ONCE does not work with kafka-clients "
                            + AppInfoParser.getVersion()
                            + " (flink-connector-kafka 5.0.0-2.2 calls "
                            + INTERNAL_CLASS
                            + ".await(), which this client lacks). Use AT_LEAST_ONCE, or run with"
                            + " kafka-clients 4.2.x.");
        }
    }
}
