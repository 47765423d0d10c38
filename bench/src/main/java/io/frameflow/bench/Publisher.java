package io.frameflow.bench;

import io.frameflow.records.json.WireRecords;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes frames in the wire format (key = camera, timestamp = capture time = send time). Camera
 * ids: {@code cameras = 0} keeps each frame's source camera, else frame i goes to camera {@code
 * cam-(i % cameras)} (the producer's {@code --replicate}).
 */
final class Publisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final FrameSet frames;
    private final int cameras;
    private final boolean clip;
    private long next;

    Publisher(String bootstrap, String topic, FrameSet frames, int cameras) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.frames = frames;
        this.cameras = cameras;
        // each camera c sends frame seq + 37 c of a clip at its seq
        this.clip = frames.clip() && cameras > 0;
    }

    private void sendOne() {
        long i = next++;
        // 37 frames (7 s at 5 fps) apart: cameras see the clip at different moments
        FrameSet.BenchFrame f = frames.get(clip ? i / cameras + 37 * (i % cameras) : i);
        String camera = cameras == 0 ? f.camera() : "cam-" + (i % cameras);
        long seq = cameras == 0 ? i / frames.size() * 1000 + f.seq() : i / cameras;
        producer.send(WireRecords.frame(topic, camera, seq, System.currentTimeMillis(), f.jpeg()));
    }

    /** Sends {@code n} frames as fast as possible and waits for the acks. */
    void preload(int n) {
        for (int i = 0; i < n; i++) {
            sendOne();
        }
        producer.flush();
    }

    /**
     * Sends at {@code fps} frames per second for {@code seconds}, on a fixed schedule (a late send
     * does not shift the ones after it); returns how many were sent.
     */
    int paced(double fps, double seconds) {
        long interval = (long) (1e9 / fps);
        long start = System.nanoTime();
        int n = (int) Math.round(fps * seconds);
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            sendOne();
        }
        producer.flush();
        return n;
    }

    @Override
    public void close() {
        producer.close();
    }
}
