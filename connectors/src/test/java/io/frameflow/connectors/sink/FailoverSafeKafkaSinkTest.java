package io.frameflow.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink.PrecommittingStatefulSinkWriter;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The writer wrapper passes every call through and only turns a Kafka send error thrown by close()
 * into a log line; the end-to-end case (a broker outage longer than the delivery timeout) is in
 * BrokerRestartITCase.
 */
class FailoverSafeKafkaSinkTest {

    /** A writer that records calls and throws {@code onClose} from close(). */
    private static final class RecordingWriter
            implements PrecommittingStatefulSinkWriter<String, KafkaWriterState, KafkaCommittable> {
        final List<String> calls = new ArrayList<>();
        final Exception onClose;

        RecordingWriter(Exception onClose) {
            this.onClose = onClose;
        }

        @Override
        public void write(String element, Context context) {
            calls.add("write " + element);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            calls.add("flush " + endOfInput);
            if (onClose != null && endOfInput) {
                throw new IOException("flush fails", onClose);
            }
        }

        @Override
        public Collection<KafkaCommittable> prepareCommit() {
            calls.add("prepareCommit");
            return List.of();
        }

        @Override
        public List<KafkaWriterState> snapshotState(long checkpointId) {
            calls.add("snapshot " + checkpointId);
            return List.of();
        }

        @Override
        public void close() throws Exception {
            calls.add("close");
            if (onClose != null) {
                throw onClose;
            }
        }
    }

    private static IOException sendError() {
        return new IOException(
                "One or more Kafka Producer send requests have encountered exception",
                new FlinkRuntimeException(
                        "Failed to send data to Kafka",
                        new TimeoutException("Expiring 1 record(s): 8001 ms has passed")));
    }

    @Test
    void passesEveryCallThrough() throws Exception {
        RecordingWriter inner = new RecordingWriter(null);
        var writer = new FailoverSafeKafkaSink.Writer<>(inner);
        writer.write("a", null);
        writer.flush(false);
        writer.prepareCommit();
        writer.snapshotState(7);
        writer.close();
        assertThat(inner.calls)
                .containsExactly("write a", "flush false", "prepareCommit", "snapshot 7", "close");
    }

    @Test
    void closeLogsKafkaSendErrorsInsteadOfThrowing() throws Exception {
        RecordingWriter inner = new RecordingWriter(sendError());
        new FailoverSafeKafkaSink.Writer<>(inner).close();
        assertThat(inner.calls).containsExactly("close");
    }

    @Test
    void flushStillFailsOnSendErrors() {
        // a checkpoint or the end of input must still fail on a send error
        var writer = new FailoverSafeKafkaSink.Writer<>(new RecordingWriter(sendError()));
        assertThatThrownBy(() -> writer.flush(true)).isInstanceOf(IOException.class);
    }

    @Test
    void closeRethrowsErrorsThatAreNotKafkaErrors() {
        var writer =
                new FailoverSafeKafkaSink.Writer<>(
                        new RecordingWriter(new IllegalStateException("a bug")));
        assertThatThrownBy(writer::close).isInstanceOf(IllegalStateException.class);
        assertThat(FailoverSafeKafkaSink.isKafkaError(sendError())).isTrue();
        assertThat(FailoverSafeKafkaSink.isKafkaError(new IOException("disk"))).isFalse();
    }
}
