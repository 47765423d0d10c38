package io.frameflow.connectors.source;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ValidatedRecordTest {

    @Test
    void isAPojoWithoutKryo() {
        assertSerializedAsPojoWithoutKryo(ValidatedRecord.class);
    }

    @Test
    void bothShapesSurviveFlinksSerializer() throws Exception {
        TypeSerializer<ValidatedRecord> serializer =
                TypeInformation.of(ValidatedRecord.class)
                        .createSerializer(new SerializerConfigImpl());
        Frame frame = new Frame("cam-1", 3, 1000L, Frame.JPEG, new byte[] {1, 2}, "frames", 0, 7);
        DeadLetter letter = new DeadLetter(null, null, 5L, "empty-value", "frames", 1, 8);
        for (ValidatedRecord in :
                new ValidatedRecord[] {
                    ValidatedRecord.ofFrame(frame), ValidatedRecord.ofDeadLetter(letter)
                }) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(in, out);
            ValidatedRecord back =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back.isFrame()).isEqualTo(in.isFrame());
            assertThat(back).usingRecursiveComparison().isEqualTo(in);
        }
    }
}
