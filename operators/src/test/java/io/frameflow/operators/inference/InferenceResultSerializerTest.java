package io.frameflow.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sealed result type crosses the network with its own tagged serializer, never Kryo: the job
 * runs with {@code pipeline.generic-types=false}.
 */
class InferenceResultSerializerTest {

    private static final Frame FRAME =
            new Frame("cam-a", 7, 1_000L, Frame.JPEG, new byte[] {1, 2, 3}, "frames", 2, 99L);

    private static TypeSerializer<InferenceResult> serializer() {
        return TypeInformation.of(InferenceResult.class)
                .createSerializer(new SerializerConfigImpl());
    }

    private static InferenceResult roundTrip(TypeSerializer<InferenceResult> s, InferenceResult r)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(r, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        InferenceResult back = s.deserialize(in);
        assertThat(in.available()).as("bytes left after %s", r).isZero();
        return back;
    }

    @Test
    void typeInformationIsTheTaggedOneNotAGenericType() {
        TypeInformation<InferenceResult> info = TypeInformation.of(InferenceResult.class);
        assertThat(info).isInstanceOf(InferenceResultTypeInfo.class);
        assertThat(info).isNotInstanceOf(GenericTypeInfo.class);
        assertThat(serializer()).isInstanceOf(InferenceResultSerializer.class);
    }

    @Test
    void everyVariantRoundTrips() throws Exception {
        TypeSerializer<InferenceResult> s = serializer();
        Detection person = new Detection("person", 0, 0.9f, 1, 2, 30, 40, null);
        Detection face =
                new Detection(
                        "face", 0, 0.8f, 5, 6, 7, 8, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0});
        InferenceResult detected =
                new InferenceResult.Detected(
                        FRAME,
                        new FrameDetections(
                                "cam-a",
                                7,
                                1_000L,
                                640,
                                480,
                                "yolox_nano",
                                12.5,
                                List.of(person, face)));
        InferenceResult failed = new InferenceResult.Failed(FRAME, "undecodable-image: no");
        InferenceResult expired = new InferenceResult.Expired(FRAME, "max-age");

        InferenceResult.Detected d = (InferenceResult.Detected) roundTrip(s, detected);
        assertThat(d.frame().image()).containsExactly(1, 2, 3);
        assertThat(d.frame().sourceOffset()).isEqualTo(99L);
        assertThat(d.detections().model()).isEqualTo("yolox_nano");
        assertThat(d.detections().detections()).hasSize(2);
        assertThat(d.detections().detections().get(1).landmarks()).hasSize(10);
        InferenceResult.Failed f = (InferenceResult.Failed) roundTrip(s, failed);
        assertThat(f.reason()).isEqualTo("undecodable-image: no");
        assertThat(f.frame().image()).containsExactly(1, 2, 3);
        InferenceResult.Expired e = (InferenceResult.Expired) roundTrip(s, expired);
        assertThat(e.reason()).isEqualTo("max-age");
        assertThat(e.toDropEvent())
                .isEqualTo(new io.frameflow.operators.policy.DropEvent("cam-a", 1_000L, "max-age"));
        assertThat(s.copy(expired))
                .isInstanceOf(InferenceResult.Expired.class)
                .isNotSameAs(expired);
        assertThat(((InferenceResult.Failed) s.copy(failed)).toDeadLetter().reasonCode())
                .isEqualTo("undecodable-image");
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializer<InferenceResult> s = serializer();
        TypeSerializerSnapshot<InferenceResult> snapshot = s.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<InferenceResult> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<InferenceResult> compatibility =
                s.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
        assertThat(read.restoreSerializer()).isEqualTo(s);
    }
}
