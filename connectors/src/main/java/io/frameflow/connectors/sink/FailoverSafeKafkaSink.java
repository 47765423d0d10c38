package io.frameflow.connectors.sink;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSink} whose writer does not throw Kafka send errors from {@code close()}, so that a
 * broker outage fails the task, not the TaskManager.
 *
 * <p>Why: when the broker is away longer than the producer's {@code delivery.timeout.ms}, every
 * pending batch expires. The first expiry fails the task (through the mailbox), as it should; more
 * expiries arrive while the task is failing, and flink-connector-kafka 5.0's {@code
 * KafkaWriter.close()} rethrows them after closing its producer. Flink 2.2 treats an exception from
 * the cleanup of a failing task as fatal ("FATAL - exception in exception handler of task") and
 * shuts the whole TaskManager down: the job cannot restart until a new TaskManager appears, and on
 * a MiniCluster or an unsupervised standalone cluster it never does
 * (BrokerRestartITCase#jobFailsOverToItsLastCheckpointWhenSinkWritesTimeOutWithExactAccounting).
 *
 * <p>Swallowing them there loses nothing: a checkpoint's {@code flush} waits for every send and
 * fails on the same errors, so a send error first seen at close belongs to records no checkpoint
 * covers; the job replays them from its last checkpoint (and aborts the open transactions). The
 * error is logged. Anything that is not a Kafka error is rethrown.
 */
public final class FailoverSafeKafkaSink<IN>
        implements TwoPhaseCommittingStatefulSink<IN, KafkaWriterState, KafkaCommittable>,
                SupportsPostCommitTopology<KafkaCommittable>,
                LineageVertexProvider {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FailoverSafeKafkaSink.class);

    private final KafkaSink<IN> delegate;

    public FailoverSafeKafkaSink(KafkaSink<IN> delegate) {
        this.delegate = delegate;
    }

    /** The wrapped sink. */
    public KafkaSink<IN> delegate() {
        return delegate;
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> createWriter(
            WriterInitContext context) throws IOException {
        return new Writer<>(delegate.createWriter(context));
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> restoreWriter(
            WriterInitContext context, Collection<KafkaWriterState> recoveredState)
            throws IOException {
        return new Writer<>(delegate.restoreWriter(context, recoveredState));
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public void addPostCommitTopology(
            DataStream<CommittableMessage<KafkaCommittable>> committables) {
        delegate.addPostCommitTopology(committables);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return delegate.getLineageVertex();
    }

    /** Whether {@code t} or one of its causes is a Kafka client error. */
    static boolean isKafkaError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KafkaException) {
                return true;
            }
        }
        return false;
    }

    /** Delegates everything; only close() logs Kafka send errors instead of throwing them. */
    static final class Writer<IN>
            implements PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> {

        private final PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable>
                delegate;

        Writer(PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            delegate.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            delegate.writeWatermark(watermark);
        }

        @Override
        public Collection<KafkaCommittable> prepareCommit()
                throws IOException, InterruptedException {
            return delegate.prepareCommit();
        }

        @Override
        public List<KafkaWriterState> snapshotState(long checkpointId) throws IOException {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public void close() throws Exception {
            try {
                delegate.close();
            } catch (Exception e) {
                if (!isKafkaError(e)) {
                    throw e;
                }
                LOG.warn(
                        "Kafka sink writer closed with send errors of records no checkpoint"
                                + " covers; the job replays them from its last checkpoint",
                        e);
            }
        }
    }
}
