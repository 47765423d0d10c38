package io.frameflow.job;

import static io.frameflow.connectors.KafkaOptions.BOOTSTRAP_SERVERS;

import io.frameflow.connectors.BrokerSettings;
import io.frameflow.connectors.sink.DeliveryOptions;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up checks of the options against the Kafka cluster itself, so that a setting the broker
 * refuses fails the submission with what to fix instead of a job that restarts over and over.
 */
public final class BrokerChecks {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerChecks.class);

    /** How long start-up waits for the cluster's answer before it goes on without the check. */
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(15);

    private BrokerChecks() {}

    /**
     * @throws IllegalArgumentException when an exactly-once sink's transaction timeout exceeds the
     *     broker's {@code transaction.max.timeout.ms} (every transaction would be refused)
     */
    public static void check(FrameFlowOptions options) {
        if (!options.resultsExactlyOnce() && !options.annotatedExactlyOnce()) {
            return;
        }
        Optional<BrokerSettings> broker =
                BrokerSettings.read(
                        options.get(BOOTSTRAP_SERVERS),
                        options.kafkaClientProperties(),
                        ASK_TIMEOUT);
        if (broker.isEmpty()) {
            LOG.warn(
                    "Could not read the broker settings from {} within {} s; the transaction"
                            + " timeout is not checked against transaction.max.timeout.ms",
                    options.get(BOOTSTRAP_SERVERS),
                    ASK_TIMEOUT.toSeconds());
            return;
        }
        transactionTimeoutFits(
                options.get(DeliveryOptions.TRANSACTION_TIMEOUT),
                broker.get().transactionMaxTimeout());
    }

    static void transactionTimeoutFits(Duration transactionTimeout, Duration brokerMax) {
        if (transactionTimeout.compareTo(brokerMax) > 0) {
            throw new IllegalArgumentException(
                    "FrameFlow cannot start:\n  - --transaction-timeout ("
                            + transactionTimeout
                            + ") is above the broker's transaction.max.timeout.ms ("
                            + brokerMax.toMillis()
                            + " ms = "
                            + brokerMax
                            + "): the broker would refuse every transaction of the exactly-once"
                            + " sinks. Lower --transaction-timeout (it must still cover"
                            + " --checkpoint-interval + --checkpoint-timeout + a restart) or raise"
                            + " transaction.max.timeout.ms on the brokers.");
        }
    }
}
