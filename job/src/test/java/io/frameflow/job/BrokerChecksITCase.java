package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.frameflow.testkit.EmbeddedKafkaBroker;
import io.frameflow.testkit.SharedResources;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, fault 3: the job's start-up reads the broker's {@code transaction.max.timeout.ms}
 * through the Admin API and refuses a transaction timeout the broker would refuse, before any job
 * is submitted (before: the job started and every exactly-once transaction failed).
 */
class BrokerChecksITCase {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start(Map.of("transaction.max.timeout.ms", "120000"));
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static String[] args(String transactionTimeout) {
        return new String[] {
            "--model",
            SharedResources.model("yolox_nano.onnx").toString(),
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--delivery",
            "exactly-once",
            "--checkpoint-interval",
            "1 s",
            "--checkpoint-timeout",
            "30 s",
            "--transaction-timeout",
            transactionTimeout
        };
    }

    @Test
    void startUpRefusesATransactionTimeoutAboveTheBrokersMaximum() {
        // preemptive: without the check, main would go on to run the job
        assertThatThrownBy(
                        () ->
                                assertTimeoutPreemptively(
                                        Duration.ofSeconds(60),
                                        () -> FrameFlowJob.main(args("5 min"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transaction.max.timeout.ms (120000 ms")
                .hasMessageContaining("--transaction-timeout (PT5M)");
    }

    @Test
    void aTimeoutWithinTheBrokersMaximumPassesTheCheck() {
        assertThatCode(
                        () ->
                                BrokerChecks.check(
                                        FrameFlowOptions.fromArgs(args("2 min")).validate()))
                .doesNotThrowAnyException();
    }
}
