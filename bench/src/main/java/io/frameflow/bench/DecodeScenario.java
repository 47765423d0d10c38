package io.frameflow.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.decode.UndecodableImageException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Scenario {@code decode} (issue 16, the per-frame cost outside inference): a full-size JPEG decode
 * the way the job's {@link ImageDecoder} does it (into the image it keeps, reused while the size
 * repeats) against the way it did before 2026-12-04 (the image released before every decode, so
 * every frame allocated and page-faulted a fresh one). Same frames, interleaved (A B A B ...) for
 * {@code -Dbench.repeats} rounds after a warm-up, one thread; median (min–max) of the rounds' ms
 * per frame. Needs no broker. How much the fresh image costs depends on the machine: page faults
 * are dear in a VM.
 */
final class DecodeScenario {

    private final BenchContext ctx;

    DecodeScenario(BenchContext ctx) {
        this.ctx = ctx;
    }

    void run() throws UndecodableImageException {
        int repeats = Integer.getInteger("bench.repeats", 5);
        for (String res : ctx.resolutions) {
            List<byte[]> frames = new ArrayList<>();
            ctx.frameSets.get(res).frames().forEach(f -> frames.add(f.jpeg()));
            List<Double> kept = new ArrayList<>();
            List<Double> fresh = new ArrayList<>();
            try (ImageDecoder decoder = new ImageDecoder();
                    FreshImageDecoder before = new FreshImageDecoder()) {
                for (int r = -3; r < repeats; r++) { // three warm-up rounds
                    double a = time(frames, decoder);
                    double b = time(frames, before);
                    if (r >= 0) {
                        kept.add(a);
                        fresh.add(b);
                    }
                }
            }
            Table t =
                    new Table(
                            "Full-size JPEG decode, "
                                    + res
                                    + " frames, one thread; median (min–max) of "
                                    + repeats
                                    + " interleaved rounds of 4 x "
                                    + frames.size()
                                    + " frames",
                            "decoder",
                            "ms / frame",
                            "× job's");
            double base = Spread.median(kept);
            t.row("job's ImageDecoder: into the image it keeps", Spread.of(kept, 2), "1.00");
            t.row(
                    "before: a fresh image every frame (released first)",
                    Spread.of(fresh, 2),
                    Table.f2(Spread.median(fresh) / base));
            t.print();
        }
    }

    private interface Decoder {
        void decode(byte[] jpeg) throws UndecodableImageException;
    }

    private static double time(List<byte[]> frames, ImageDecoder decoder)
            throws UndecodableImageException {
        return time(frames, jpeg -> decoder.decode(jpeg, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    private static double time(List<byte[]> frames, Decoder decoder)
            throws UndecodableImageException {
        long start = System.nanoTime();
        int n = 0;
        for (int k = 0; k < 4; k++) {
            for (byte[] jpeg : frames) {
                decoder.decode(jpeg);
                n++;
            }
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    /** The decode as ImageDecoder did it before: release the kept image, then decode into it. */
    private static final class FreshImageDecoder implements Decoder, AutoCloseable {
        private final Mat image = new Mat();
        private BytePointer encoded = new BytePointer(0L);

        @Override
        public void decode(byte[] jpeg) {
            if (encoded.capacity() < jpeg.length) { // kept between frames, as the job does
                encoded.close();
                encoded = new BytePointer(jpeg.length);
            }
            encoded.position(0).put(jpeg, 0, jpeg.length);
            try (Mat buf = new Mat(1, jpeg.length, CV_8UC1, encoded)) {
                image.release();
                imdecode(buf, IMREAD_COLOR | IMREAD_IGNORE_ORIENTATION, image);
            }
        }

        @Override
        public void close() {
            image.close();
            encoded.close();
        }
    }
}
