package io.frameflow.viewer;

import io.frameflow.records.wire.FrameWire;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Test cameras and plain-socket HTTP for the viewer's integration tests. */
final class TestCameras {

    private TestCameras() {}

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 << 20));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A frame whose content changes with {@code n}: a moving box, the camera id and the number. */
    static byte[] drawnFrame(String camera, long n) {
        BufferedImage img = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int hue = Math.floorMod(camera.hashCode() * 97, 360);
        g.setColor(Color.getHSBColor(hue / 360f, 0.5f, 0.35f));
        g.fillRect(0, 0, 320, 180);
        int x = (int) ((n * 17) % 280);
        g.setColor(Color.GREEN);
        g.setStroke(new BasicStroke(3));
        g.drawRect(x, 40, 40, 100);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString(camera, 10, 28);
        g.drawString(String.format(Locale.ROOT, "#%d", n), 10, 170);
        g.dispose();
        return jpeg(img);
    }

    /** An incompressible frame (noise) of roughly 100-300 KB, to push bytes fast. */
    static byte[] noiseFrame(int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return jpeg(img);
    }

    static byte[] jpeg(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static ProducerRecord<byte[], byte[]> annotated(
            String topic, String camera, long seq, byte[] jpeg) {
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        topic,
                        null,
                        System.currentTimeMillis(),
                        camera.getBytes(StandardCharsets.UTF_8),
                        jpeg);
        r.headers().add(FrameWire.HEADER_SEQ, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        r.headers().add(FrameWire.HEADER_MODEL, "test-model".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** Publishes a camera's frames at a steady rate until closed. */
    static final class Camera implements AutoCloseable {
        private final Thread thread;
        private final AtomicLong published = new AtomicLong();
        private volatile boolean running = true;

        Camera(
                KafkaProducer<byte[], byte[]> producer,
                String topic,
                String camera,
                int fps,
                java.util.function.LongFunction<byte[]> frames) {
            thread =
                    new Thread(
                            () -> {
                                long period = 1_000_000_000L / fps;
                                long next = System.nanoTime();
                                for (long seq = 0; running; seq++) {
                                    producer.send(annotated(topic, camera, seq, frames.apply(seq)));
                                    published.incrementAndGet();
                                    next += period;
                                    long sleep = next - System.nanoTime();
                                    if (sleep > 0) {
                                        try {
                                            Thread.sleep(
                                                    sleep / 1_000_000, (int) (sleep % 1_000_000));
                                        } catch (InterruptedException e) {
                                            return;
                                        }
                                    } else {
                                        next = System.nanoTime();
                                    }
                                }
                            },
                            "test-camera-" + camera);
            thread.setDaemon(true);
            thread.start();
        }

        long published() {
            return published.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    /** A stats record in the frames.stats format. */
    static String statsJson(
            String camera,
            long windowEnd,
            double fps,
            double personsAvg,
            int personsMax,
            double p95,
            String extraClass) {
        String extra =
                extraClass == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ",\"%s\":{\"avg\":0.5,\"max\":1,\"min\":0}",
                                extraClass);
        return String.format(
                Locale.ROOT,
                "{\"camera\":\"%s\",\"windowStart\":%d,\"windowEnd\":%d,\"frames\":%d,\"fps\":%s,"
                        + "\"dropped\":0,\"counts\":{\"person\":{\"avg\":%s,\"max\":%d,\"min\":0}%s},"
                        + "\"latencyMs\":{\"p50\":%s,\"p95\":%s,\"p99\":%s,\"max\":%s},"
                        + "\"inferenceMs\":{\"p50\":10.0,\"p95\":12.0,\"p99\":14.0,\"max\":15.0}}",
                camera,
                windowEnd - 5000,
                windowEnd,
                Math.round(fps * 5),
                fps,
                personsAvg,
                personsMax,
                extra,
                p95 / 2,
                p95,
                p95 + 10,
                p95 + 20);
    }

    /** One HTTP exchange over a plain socket: nothing normalizes the path on the way. */
    record Response(int status, String head, String body) {
        /** A header's value (names compare case-insensitively), or null. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    static Response rawGet(int port, String rawTarget, String... headers) throws IOException {
        return rawRequest(port, "GET", rawTarget, headers);
    }

    static Response rawRequest(int port, String method, String rawTarget, String... headers)
            throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(rawTarget).append(" HTTP/1.1\r\n");
            req.append("Host: 127.0.0.1:").append(port).append("\r\n");
            req.append("Connection: close\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                req.append("Content-Length: 0\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Response(status, head, body);
        }
    }
}
