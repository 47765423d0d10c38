package io.frameflow.operators.inference;

import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes an {@link InferenceResult} as one tag byte (0 detected, 1 failed, 2 expired), the
 * frame, then the detections or the reason. The tags are part of the network and savepoint format:
 * append new variants, never renumber.
 */
public final class InferenceResultSerializer extends TypeSerializer<InferenceResult> {

    private static final long serialVersionUID = 1L;

    private static final byte DETECTED = 0;
    private static final byte FAILED = 1;
    private static final byte EXPIRED = 2;
    private static final byte SKIPPED = 3;

    private final TypeSerializer<Frame> frames;
    private final TypeSerializer<FrameDetections> detections;

    public InferenceResultSerializer(
            TypeSerializer<Frame> frames, TypeSerializer<FrameDetections> detections) {
        this.frames = frames;
        this.detections = detections;
    }

    @Override
    public boolean isImmutableType() {
        return false; // a Frame holds a byte[]
    }

    @Override
    public TypeSerializer<InferenceResult> duplicate() {
        TypeSerializer<Frame> f = frames.duplicate();
        TypeSerializer<FrameDetections> d = detections.duplicate();
        return f == frames && d == detections ? this : new InferenceResultSerializer(f, d);
    }

    @Override
    public InferenceResult createInstance() {
        return null; // no variant is a sensible blank; Flink only needs this for reuse
    }

    @Override
    public InferenceResult copy(InferenceResult from) {
        Frame frame = frames.copy(from.frame());
        if (from instanceof InferenceResult.Detected d) {
            return new InferenceResult.Detected(frame, detections.copy(d.detections()));
        }
        if (from instanceof InferenceResult.Failed f) {
            return new InferenceResult.Failed(frame, f.reason());
        }
        if (from instanceof InferenceResult.Skipped) {
            return new InferenceResult.Skipped(frame);
        }
        return new InferenceResult.Expired(frame, ((InferenceResult.Expired) from).reason());
    }

    @Override
    public InferenceResult copy(InferenceResult from, InferenceResult reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(InferenceResult record, DataOutputView target) throws IOException {
        // Java 17: no pattern switch; the sealed interface keeps this list complete
        if (record instanceof InferenceResult.Detected d) {
            target.writeByte(DETECTED);
            frames.serialize(d.frame(), target);
            detections.serialize(d.detections(), target);
        } else if (record instanceof InferenceResult.Failed f) {
            target.writeByte(FAILED);
            frames.serialize(f.frame(), target);
            StringSerializer.INSTANCE.serialize(f.reason(), target);
        } else if (record instanceof InferenceResult.Skipped s) {
            target.writeByte(SKIPPED);
            frames.serialize(s.frame(), target);
        } else {
            InferenceResult.Expired e = (InferenceResult.Expired) record;
            target.writeByte(EXPIRED);
            frames.serialize(e.frame(), target);
            StringSerializer.INSTANCE.serialize(e.reason(), target);
        }
    }

    @Override
    public InferenceResult deserialize(DataInputView source) throws IOException {
        byte tag = source.readByte();
        Frame frame = frames.deserialize(source);
        return switch (tag) {
            case DETECTED -> new InferenceResult.Detected(frame, detections.deserialize(source));
            case FAILED ->
                    new InferenceResult.Failed(
                            frame, StringSerializer.INSTANCE.deserialize(source));
            case EXPIRED ->
                    new InferenceResult.Expired(
                            frame, StringSerializer.INSTANCE.deserialize(source));
            case SKIPPED -> new InferenceResult.Skipped(frame);
            default -> throw new IOException("unknown InferenceResult tag " + tag);
        };
    }

    @Override
    public InferenceResult deserialize(InferenceResult reuse, DataInputView source)
            throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InferenceResultSerializer s
                && frames.equals(s.frames)
                && detections.equals(s.detections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(frames, detections);
    }

    @Override
    public TypeSerializerSnapshot<InferenceResult> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** Restores the serializer from the snapshots of the frame and detections serializers. */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<InferenceResult, InferenceResultSerializer> {

        private static final int VERSION = 1;

        /** For reading a snapshot. */
        public Snapshot() {}

        Snapshot(InferenceResultSerializer serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(InferenceResultSerializer s) {
            return new TypeSerializer<?>[] {s.frames, s.detections};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected InferenceResultSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new InferenceResultSerializer(
                    (TypeSerializer<Frame>) nested[0], (TypeSerializer<FrameDetections>) nested[1]);
        }
    }
}
