package io.frameflow.operators.inference;

import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information of {@link InferenceResult}. Flink's type extractor cannot analyse a sealed
 * interface (it would fall back to Kryo, which the job forbids), so {@link Factory} is named in
 * {@code @TypeInfo} and hands out this class, whose serializer writes a variant tag followed by the
 * variant's fields with the POJO serializers of {@link Frame} and {@link FrameDetections}.
 */
public final class InferenceResultTypeInfo extends TypeInformation<InferenceResult> {

    private static final long serialVersionUID = 1L;

    /** Named by {@code @TypeInfo} on {@link InferenceResult}. */
    public static final class Factory extends TypeInfoFactory<InferenceResult> {
        @Override
        public TypeInformation<InferenceResult> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new InferenceResultTypeInfo();
        }
    }

    @Override
    public TypeSerializer<InferenceResult> createSerializer(SerializerConfig config) {
        return new InferenceResultSerializer(
                TypeInformation.of(Frame.class).createSerializer(config),
                TypeInformation.of(FrameDetections.class).createSerializer(config));
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<InferenceResult> getTypeClass() {
        return InferenceResult.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return "InferenceResult(Detected | Failed | Expired)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InferenceResultTypeInfo;
    }

    @Override
    public int hashCode() {
        return InferenceResultTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof InferenceResultTypeInfo;
    }
}
