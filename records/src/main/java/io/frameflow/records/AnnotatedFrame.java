package io.frameflow.records;

/**
 * A frame with its detections drawn on it, JPEG-encoded, for {@code frames.annotated}.
 *
 * @param camera camera id (the Kafka key)
 * @param seq frame sequence number, or -1
 * @param captureTs capture time of the original frame, ms since epoch (the record timestamp)
 * @param model model whose detections are drawn
 * @param jpeg the annotated image
 */
public record AnnotatedFrame(String camera, long seq, long captureTs, String model, byte[] jpeg) {}
