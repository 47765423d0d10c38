package io.frameflow.job;

import io.frameflow.connectors.source.ValidatedRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The job's source in tests without Kafka: the records of a {@link PipelineRun}, one split per
 * partition as the Kafka source has, each record put through the connectors' real {@code
 * FrameValidator} when it is read and emitted with its timestamp (capture time) as the event time,
 * with split-local watermarks, as the Kafka source does.
 *
 * <p>The records stay in the run (this JVM's MiniCluster reads them there); splits and checkpoints
 * carry only the run id, the partition and the next offset, so savepoints and restores work. A
 * record with an emit time is not read before that wall-clock time, and records a test adds while
 * the job runs are read as they come (live traffic). A bounded run ends after its last record; an
 * open one ({@link PipelineRun#stayOpen()}) keeps its splits, like a Kafka topic with nothing new,
 * until the job is cancelled.
 */
final class TestFrameSource
        implements Source<ValidatedRecord, TestFrameSource.Split, List<TestFrameSource.Split>> {

    private static final long serialVersionUID = 1L;

    /** How often a reader with nothing due looks for records added since. */
    private static final long POLL_MS = 20;

    private final String runId;
    private final int partitions;
    private final boolean bounded;

    TestFrameSource(String runId, int partitions, boolean bounded) {
        this.runId = runId;
        this.partitions = partitions;
        this.bounded = bounded;
    }

    /** One partition of the run and the next offset to read. */
    record Split(String runId, int partition, int offset) implements SourceSplit {
        @Override
        public String splitId() {
            return "partition-" + partition;
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<Split, List<Split>> createEnumerator(
            SplitEnumeratorContext<Split> context) {
        List<Split> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new Split(runId, p, 0));
        }
        return new Enumerator(context, all);
    }

    @Override
    public SplitEnumerator<Split, List<Split>> restoreEnumerator(
            SplitEnumeratorContext<Split> context, List<Split> checkpoint) {
        return new Enumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<Split>> getEnumeratorCheckpointSerializer() {
        return new PendingSplitsSerializer();
    }

    @Override
    public SourceReader<ValidatedRecord, Split> createReader(SourceReaderContext context) {
        return new Reader(bounded);
    }

    /** Partition p goes to reader p % parallelism, as Kafka's enumerator spreads partitions. */
    private static final class Enumerator implements SplitEnumerator<Split, List<Split>> {
        private final SplitEnumeratorContext<Split> context;
        private final List<Split> pending;

        Enumerator(SplitEnumeratorContext<Split> context, List<Split> pending) {
            this.context = context;
            this.pending = new ArrayList<>(pending);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<Split> splits, int subtaskId) {
            pending.addAll(splits);
            if (context.registeredReaders().containsKey(subtaskId)) {
                addReader(subtaskId);
            }
        }

        @Override
        public void addReader(int subtaskId) {
            int parallelism = context.currentParallelism();
            List<Split> mine = new ArrayList<>();
            pending.removeIf(
                    s -> {
                        if (s.partition() % parallelism == subtaskId) {
                            mine.add(s);
                            return true;
                        }
                        return false;
                    });
            for (Split s : mine) {
                context.assignSplit(s, subtaskId);
            }
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(pending);
        }

        @Override
        public void close() {}
    }

    private static final class Reader implements SourceReader<ValidatedRecord, Split> {
        private final boolean bounded;
        private final List<Split> splits = new ArrayList<>();
        private final List<SourceOutput<ValidatedRecord>> outputs = new ArrayList<>();
        private boolean noMoreSplits;
        private boolean markedIdle;
        private int next;
        private CompletableFuture<Void> available = new CompletableFuture<>();

        Reader(boolean bounded) {
            this.bounded = bounded;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<ValidatedRecord> output) {
            if (outputs.size() < splits.size()) {
                for (int i = outputs.size(); i < splits.size(); i++) {
                    outputs.add(output.createOutputForSplit(splits.get(i).splitId()));
                }
            }
            if (bounded) {
                for (int i = splits.size() - 1; i >= 0; i--) {
                    Split s = splits.get(i);
                    if (s.offset() >= PipelineRun.get(s.runId()).partition(s.partition()).size()) {
                        output.releaseOutputForSplit(s.splitId());
                        splits.remove(i);
                        outputs.remove(i);
                    }
                }
            }
            long now = System.currentTimeMillis();
            long nextDue = Long.MAX_VALUE;
            int n = splits.size();
            for (int k = 0; k < n; k++) {
                // one record per split in turn, as a Kafka reader interleaves its partitions
                int i = (next + k) % n;
                Split s = splits.get(i);
                PipelineRun run = PipelineRun.get(s.runId());
                List<PipelineRun.Input> records = run.partition(s.partition());
                if (s.offset() >= records.size()) {
                    continue;
                }
                PipelineRun.Input in = records.get(s.offset());
                if (in.emitAt() > now) {
                    nextDue = Math.min(nextDue, in.emitAt());
                    continue;
                }
                ConsumerRecord<byte[], byte[]> record = in.asConsumerRecord(s.offset());
                outputs.get(i).collect(run.validator().validate(record), record.timestamp());
                splits.set(i, new Split(s.runId(), s.partition(), s.offset() + 1));
                next = i + 1;
                return InputStatus.MORE_AVAILABLE;
            }
            if (splits.isEmpty() && noMoreSplits) {
                if (bounded) {
                    return InputStatus.END_OF_INPUT;
                }
                if (!markedIdle) {
                    // a reader without partitions, as the Kafka source's: idle, holds no watermark
                    output.markIdle();
                    markedIdle = true;
                }
            }
            available = new CompletableFuture<>();
            if (!splits.isEmpty()) {
                // look again when the next record is due, or soon: a test may add records live
                CompletableFuture<Void> due = available;
                long wait = Math.max(1, Math.min(POLL_MS, nextDue - now));
                CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)
                        .execute(() -> due.complete(null));
            }
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(splits);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<Split> added) {
            List<Split> sorted = new ArrayList<>(added);
            sorted.sort(Comparator.comparingInt(Split::partition));
            splits.addAll(sorted);
            available.complete(null);
        }

        @Override
        public void notifyNoMoreSplits() {
            noMoreSplits = true;
            available.complete(null);
        }

        @Override
        public void close() {
            available.complete(null);
        }
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                write(out, split);
            }
            return bytes.toByteArray();
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return read(in);
            }
        }

        static void write(DataOutputStream out, Split split) throws IOException {
            out.writeUTF(split.runId());
            out.writeInt(split.partition());
            out.writeInt(split.offset());
        }

        static Split read(DataInputStream in) throws IOException {
            return new Split(in.readUTF(), in.readInt(), in.readInt());
        }
    }

    private static final class PendingSplitsSerializer
            implements SimpleVersionedSerializer<List<Split>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<Split> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(splits.size());
                for (Split s : splits) {
                    SplitSerializer.write(out, s);
                }
            }
            return bytes.toByteArray();
        }

        @Override
        public List<Split> deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                int n = in.readInt();
                List<Split> splits = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    splits.add(SplitSerializer.read(in));
                }
                return splits;
            }
        }
    }
}
