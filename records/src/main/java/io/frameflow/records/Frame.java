package io.frameflow.records;

/**
 * One camera frame as it travels through the job. The payload stays encoded (JPEG or PNG) so that
 * state, checkpoints and network shuffles carry kilobytes, not decoded pixels.
 *
 * @param camera camera id (the Kafka key)
 * @param seq frame sequence number per camera, or -1 when the producer sent none
 * @param captureTs capture time, ms since epoch (the Kafka record timestamp)
 * @param contentType MIME type of {@code image}, e.g. {@code image/jpeg}
 * @param image the encoded image bytes
 * @param sourceTopic where the frame was read from (for dead letters and tracing)
 * @param sourcePartition partition it was read from, or -1
 * @param sourceOffset offset it was read from, or -1
 * @param models the models to run on it, by name (the camera's {@code models} setting); null = the
 *     job's {@code --model}
 */
public record Frame(
        String camera,
        long seq,
        long captureTs,
        String contentType,
        byte[] image,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        java.util.List<String> models) {

    /** A frame for the job's default model. */
    public Frame(
            String camera,
            long seq,
            long captureTs,
            String contentType,
            byte[] image,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset) {
        this(
                camera,
                seq,
                captureTs,
                contentType,
                image,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                null);
    }

    /** This frame for these models (null: the job's default). */
    public Frame withModels(java.util.List<String> names) {
        return new Frame(
                camera,
                seq,
                captureTs,
                contentType,
                image,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                names);
    }

    public static final long NO_SEQ = -1L;
    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";
}
