package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameflow.testkit.SharedResources;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, fault 3: a transaction must outlive the checkpoint that commits it, the checkpoint may
 * take its whole timeout, and a failed job needs time to restart and commit.
 */
class TransactionTimeoutTest {

    private static final String MODEL = SharedResources.model("yolox_nano.onnx").toString();

    @Test
    void theCheckpointTimeoutIsSetAndCountsAgainstTheTransactionTimeout() {
        assertThat(
                        FlinkSettings.standalone(FrameFlowOptions.fromArgs().config())
                                .get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                .isEqualTo(Duration.ofMinutes(2));
        // Flink's default checkpoint timeout (10 min) equals the default transaction timeout
        assertThatThrownBy(
                        () ->
                                FrameFlowOptions.fromArgs(
                                                "--model", MODEL, "--checkpoint-timeout", "10 min")
                                        .validate())
                .hasMessageContaining("--transaction-timeout (PT10M) must be at least")
                .hasMessageContaining("--checkpoint-timeout (PT10M)");
        assertThatCode(() -> FrameFlowOptions.fromArgs("--model", MODEL).validate())
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                FrameFlowOptions.fromArgs(
                                                "--model",
                                                MODEL,
                                                "--checkpoint-timeout",
                                                "10 min",
                                                "--transaction-timeout",
                                                "15 min")
                                        .validate())
                .doesNotThrowAnyException();
    }

    @Test
    void aTransactionTimeoutAboveTheBrokersMaximumIsRefused() {
        assertThatThrownBy(
                        () ->
                                BrokerChecks.transactionTimeoutFits(
                                        Duration.ofMinutes(10), Duration.ofMinutes(5)))
                .hasMessageContaining("transaction.max.timeout.ms (300000 ms")
                .hasMessageContaining("Lower --transaction-timeout");
        assertThatCode(
                        () ->
                                BrokerChecks.transactionTimeoutFits(
                                        Duration.ofMinutes(5), Duration.ofMinutes(5)))
                .doesNotThrowAnyException();
    }
}
