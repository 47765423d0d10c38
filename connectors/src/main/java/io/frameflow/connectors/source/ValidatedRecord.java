package io.frameflow.connectors.source;

import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;

/**
 * What the source emits for every Kafka record: exactly one of a valid {@link Frame} or the {@link
 * DeadLetter} that says why it is not one. A plain record (a Flink POJO, no Kryo), so the source
 * never has to throw or drop; {@link SplitDeadLetters} separates the two downstream.
 *
 * @param frame the frame, or null when the record was rejected
 * @param deadLetter the rejection, or null when the record is a valid frame
 */
public record ValidatedRecord(Frame frame, DeadLetter deadLetter) {

    public static ValidatedRecord ofFrame(Frame frame) {
        return new ValidatedRecord(frame, null);
    }

    public static ValidatedRecord ofDeadLetter(DeadLetter deadLetter) {
        return new ValidatedRecord(null, deadLetter);
    }

    public boolean isFrame() {
        return frame != null;
    }
}
