package io.frameflow.producer.produce;

import io.frameflow.records.wire.FrameWire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the frames of one source under one or more camera ids (several with --replicate), in
 * FrameFlow's wire format: key camera id, value JPEG, timestamp capture time, headers seq and
 * content-type. A send the broker rejects is counted and logged with camera and seq. A send that
 * times out (delivery.timeout.ms) is counted the same way, although Kafka cannot say whether a
 * request in flight at that moment was written: the count bounds the frames missing from the topic
 * from above.
 */
public final class CameraPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(CameraPublisher.class);
    private static final byte[] JPEG = "image/jpeg".getBytes(StandardCharsets.UTF_8);

    /** Log the first few failures of a camera in full, then one in this many. */
    private static final int LOG_EVERY = 100;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final List<CameraStats> cameras;
    private final byte[][] keys;
    private final long[] nextSeq;

    public CameraPublisher(
            Producer<byte[], byte[]> producer, String topic, List<CameraStats> cameras) {
        this.producer = producer;
        this.topic = topic;
        this.cameras = List.copyOf(cameras);
        this.keys = new byte[cameras.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = cameras.get(i).cameraId().getBytes(StandardCharsets.UTF_8);
        }
        this.nextSeq = new long[cameras.size()];
    }

    /** Sends one encoded frame to every camera id of this source. */
    public void publish(byte[] jpeg, long captureMillis) {
        for (int i = 0; i < keys.length; i++) {
            CameraStats stats = cameras.get(i);
            long seq = nextSeq[i]++;
            RecordHeaders headers = new RecordHeaders();
            headers.add(FrameWire.HEADER_SEQ, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
            headers.add(FrameWire.HEADER_CONTENT_TYPE, JPEG);
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(topic, null, captureMillis, keys[i], jpeg, headers);
            stats.sent.incrementAndGet();
            int size = jpeg.length;
            try {
                producer.send(
                        record,
                        (metadata, error) -> {
                            if (error == null) {
                                stats.acked.incrementAndGet();
                                stats.ackedBytes.addAndGet(size);
                            } else {
                                failed(stats, seq, size, error);
                            }
                        });
            } catch (RuntimeException e) {
                failed(stats, seq, size, e);
            }
        }
    }

    private static void failed(CameraStats stats, long seq, int size, Exception error) {
        long n = stats.errors.incrementAndGet();
        if (n <= 5 || n % LOG_EVERY == 0) {
            LOG.error(
                    "Camera {} frame seq={} ({} bytes) was not published{}: {}: {}{}",
                    stats.cameraId(),
                    seq,
                    size,
                    // a delivery timeout leaves the outcome open: a request in flight when the
                    // broker went away may have been written (ProducerBrokerRestartITCase)
                    error instanceof TimeoutException
                            ? " (not confirmed in time; it may still be on the topic)"
                            : "",
                    error.getClass().getSimpleName(),
                    error.getMessage(),
                    n == 5
                            ? " (further failures of this camera are logged every "
                                    + LOG_EVERY
                                    + ")"
                            : "");
        }
    }
}
