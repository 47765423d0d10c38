package io.frameflow.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveFramesTest {

    /** Parses the wire format the page reads: header lines and JPEG bytes. */
    private static List<String> parts(byte[] body) {
        List<String> out = new ArrayList<>();
        int i = 0;
        boolean preamble = true;
        while (i < body.length) {
            int nl = i;
            while (body[nl] != '\n') {
                nl++;
            }
            String line = new String(body, i, nl - i, StandardCharsets.US_ASCII);
            i = nl + 1;
            if (preamble) {
                assertThat(line).isEqualTo("FRAMEFLOW-FRAMES 1");
                preamble = false;
                continue;
            }
            String[] f = line.split(" ");
            int len = Integer.parseInt(f[3]);
            String bytes = new String(body, i, len, StandardCharsets.US_ASCII);
            i += len;
            out.add(f[0] + "#" + f[1] + "=" + bytes);
        }
        return out;
    }

    private static void drain(LiveFrames live, ByteArrayOutputStream out) throws Exception {
        MjpegStreams.Part p = live.next();
        if (p != null) {
            p.writeTo(out);
        }
    }

    @Test
    void sendsEachCamerasNewestFrameOnceAndSkipsTheOnesBetween() throws Exception {
        CameraRegistry registry = new CameraRegistry(10, 60_000);
        CameraState a = registry.getOrCreate("cam a").orElseThrow();
        CameraState b = registry.getOrCreate("b").orElseThrow();
        LiveFrames live = new LiveFrames(registry, List.of("cam a", "b", "not-yet"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        live.begin(out);
        a.onFrame("a1".getBytes(StandardCharsets.US_ASCII), 1000, 1, "m");
        a.onFrame("a2".getBytes(StandardCharsets.US_ASCII), 1200, 2, "m");
        b.onFrame("b1".getBytes(StandardCharsets.US_ASCII), 1000, 1, "m");
        drain(live, out);
        assertThat(parts(out.toByteArray())).containsExactly("cam%20a#2=a2", "b#1=b1");

        // nothing new: no part, and the call waits for a frame rather than spinning
        long start = System.nanoTime();
        assertThat(live.next()).isNull();
        assertThat(System.nanoTime() - start).isGreaterThan(500_000_000L);

        // a camera that appears later is picked up
        registry.getOrCreate("not-yet")
                .orElseThrow()
                .onFrame("n1".getBytes(StandardCharsets.US_ASCII), 2000, 7, "m");
        drain(live, out);
        assertThat(parts(out.toByteArray()))
                .containsExactly("cam%20a#2=a2", "b#1=b1", "not-yet#7=n1");
    }

    @Test
    void aNewFrameWakesTheWaitingConnectionAtOnce() throws Exception {
        CameraRegistry registry = new CameraRegistry(10, 60_000);
        CameraState a = registry.getOrCreate("a").orElseThrow();
        LiveFrames live = new LiveFrames(registry, List.of("a"));
        Thread publisher =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                            a.onFrame(new byte[] {1}, 1000, 1, "m");
                        });
        long start = System.nanoTime();
        publisher.start();
        MjpegStreams.Part p = null;
        while (p == null) {
            p = live.next();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
        publisher.join();
    }

    @Test
    void refusesNoCamerasAndTooMany() {
        CameraRegistry registry = new CameraRegistry(10, 60_000);
        assertThatThrownBy(() -> new LiveFrames(registry, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new LiveFrames(
                                        registry,
                                        Collections.nCopies(LiveFrames.MAX_CAMERAS + 1, "c")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSilentPageStillGetsAKeepAlive() throws IOException, InterruptedException {
        CameraRegistry registry = new CameraRegistry(10, 60_000);
        LiveFrames live = new LiveFrames(registry, List.of("quiet"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + (MjpegStreams.KEEPALIVE_SECONDS + 3) * 1_000_000_000L;
        MjpegStreams.Part p = null;
        while (p == null && System.nanoTime() < deadline) {
            p = live.next();
        }
        assertThat(p).isNotNull();
        p.writeTo(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("- -1 0 0\n");
    }
}
