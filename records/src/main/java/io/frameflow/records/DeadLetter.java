package io.frameflow.records;

/**
 * A record the job could not process, kept whole with the reason, for {@code frames.dlq}.
 *
 * @param key the original key bytes, or null when the record had none
 * @param value the original value bytes, or null
 * @param timestamp the original record timestamp, ms since epoch
 * @param reason why it was rejected, short and specific (e.g. {@code missing-key}, {@code
 *     truncated-jpeg: no EOI marker}); the text before the first ':' is the reason code used in
 *     metrics
 * @param sourceTopic where it was read from
 * @param sourcePartition partition, or -1
 * @param sourceOffset offset, or -1
 */
public record DeadLetter(
        byte[] key,
        byte[] value,
        long timestamp,
        String reason,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset) {

    /** The reason code: the text before the first ':'. */
    public String reasonCode() {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }
}
