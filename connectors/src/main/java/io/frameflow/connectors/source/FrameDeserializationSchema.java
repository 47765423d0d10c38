package io.frameflow.connectors.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the {@code frames} topic: every record becomes one {@link ValidatedRecord}, a frame or a
 * dead letter, so a bad record can never fail the source (a throwing deserializer would restart the
 * job and hit the same record again, forever).
 */
public final class FrameDeserializationSchema
        implements KafkaRecordDeserializationSchema<ValidatedRecord> {

    private static final long serialVersionUID = 1L;

    private final FrameValidator validator;

    public FrameDeserializationSchema(FrameValidator validator) {
        this.validator = validator;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ValidatedRecord> out) {
        out.collect(validator.validate(record));
    }

    @Override
    public TypeInformation<ValidatedRecord> getProducedType() {
        return TypeInformation.of(ValidatedRecord.class);
    }
}
