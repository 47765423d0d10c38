package io.frameflow.bench;

import com.sun.management.OperatingSystemMXBean;
import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.preprocess.InputGeometry;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.json.WireRecords;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import io.frameflow.testkit.EmbeddedKafkaBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Scenario 5: where a frame's time goes. One thread, one single-threaded detector: decode (timed on
 * its own with the detector's decoder and the same reduced-size decoding), preprocess (the
 * detector's decode+preprocess minus decode), ORT run, postprocess, annotate+encode (the job's
 * annotator), all wall time per frame. Kafka in/out: process CPU time (clients + the embedded
 * broker's threads) per frame to publish the frames and then to consume them and publish the
 * annotated frames.
 */
final class StageCost {

    private StageCost() {}

    static Map<String, Double> run(
            EmbeddedKafkaBroker broker, Path model, FrameSet frames, double seconds)
            throws Exception {
        double decode = 0, prepare = 0, run = 0, post = 0, annotate = 0;
        int n = 0;
        byte[][] annotatedFrames = new byte[frames.size()][];
        try (Pipeline p = new Pipeline(model, 1);
                ImageDecoder decoder = new ImageDecoder()) {
            var profile = p.detector.profile();
            for (int i = 0; i < 10; i++) {
                var f = frames.get(i);
                p.process(f.camera(), f.seq(), 0, f.jpeg());
            }
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline || n < frames.size()) {
                var f = frames.get(n);
                long t0 = System.nanoTime();
                // the size the detector asks its decoder for: the resize target of this frame
                ImageInfo h = ImageProbe.header(f.jpeg());
                InputGeometry fit =
                        profile.preprocess()
                                .fit(
                                        (int) h.width(),
                                        (int) h.height(),
                                        profile.inputWidth(),
                                        profile.inputHeight());
                decoder.decode(f.jpeg(), fit.width(), fit.height());
                decode += System.nanoTime() - t0;
                Pipeline.Timed t = p.process(f.camera(), f.seq(), 0, f.jpeg());
                prepare += t.result().prepareNanos();
                run += t.result().runNanos();
                post += t.result().postNanos();
                annotate += t.annotateNanos();
                annotatedFrames[n % frames.size()] = t.annotated();
                n++;
            }
        }
        double[] kafka = kafkaCost(broker, frames, annotatedFrames, Math.max(n, 500));
        Map<String, Double> ms = new LinkedHashMap<>();
        ms.put("decode", decode / n / 1e6);
        ms.put("preprocess", Math.max(0, prepare - decode) / n / 1e6);
        ms.put("inference (ORT run)", run / n / 1e6);
        ms.put("postprocess (decode boxes + NMS)", post / n / 1e6);
        ms.put("annotate + JPEG encode", annotate / n / 1e6);
        ms.put("Kafka in (publish + broker + consume)", kafka[0]);
        ms.put("Kafka out (produce annotated + broker)", kafka[1]);
        return ms;
    }

    /** CPU ms per frame: [frames in, annotated frames out]. */
    private static double[] kafkaCost(
            EmbeddedKafkaBroker broker, FrameSet frames, byte[][] annotated, int n)
            throws Exception {
        OperatingSystemMXBean os =
                (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String bootstrap = broker.bootstrapServers();
        Topics topics = Topics.create(broker, EndToEnd.PARTITIONS);
        Map<String, Object> pp = new HashMap<>();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        // not idempotent: a retry on a fresh topic must not end in OutOfOrderSequenceException
        pp.put(ProducerConfig.ACKS_CONFIG, "1");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        Map<String, Object> cp = new HashMap<>();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                EmbeddedKafkaBroker.MAX_MESSAGE_BYTES);
        try (var producer =
                        new KafkaProducer<>(
                                pp, new ByteArraySerializer(), new ByteArraySerializer());
                var consumer =
                        new KafkaConsumer<>(
                                cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // warm both clients up
            producer.send(WireRecords.frame(topics.stats(), "warm", 0, 0, frames.get(0).jpeg()));
            producer.flush();
            long c0 = os.getProcessCpuTime();
            for (int i = 0; i < n; i++) {
                var f = frames.get(i);
                producer.send(WireRecords.frame(topics.in(), f.camera(), i, i, f.jpeg()));
            }
            producer.flush();
            List<TopicPartition> parts =
                    List.of(new TopicPartition(topics.in(), 0), new TopicPartition(topics.in(), 1));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            int read = 0;
            while (read < n) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            long c1 = os.getProcessCpuTime();
            for (int i = 0; i < n; i++) {
                var f = frames.get(i);
                producer.send(
                        WireRecords.annotated(
                                topics.annotated(),
                                new AnnotatedFrame(
                                        f.camera(), i, i, "m", annotated[i % annotated.length])));
            }
            producer.flush();
            long c2 = os.getProcessCpuTime();
            return new double[] {(c1 - c0) / 1e6 / n, (c2 - c1) / 1e6 / n};
        }
    }
}
