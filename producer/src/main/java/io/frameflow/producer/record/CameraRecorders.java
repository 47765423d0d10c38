package io.frameflow.producer.record;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link CameraRecorder} per camera, opened at its first frame as {@code <dir>/<camera>.mp4}.
 */
final class CameraRecorders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CameraRecorders.class);

    private final Path outputDir;
    private final VideoCodec codec;
    private final double fps;
    private final int bitrate;
    private final Map<String, CameraRecorder> recorders = new LinkedHashMap<>();

    /**
     * @param fps frame rate of the videos, or 0 to derive each from its frames' timestamps
     * @param bitrate video bitrate in bit/s, or 0 for a default from size and rate
     */
    CameraRecorders(Path outputDir, VideoCodec codec, double fps, int bitrate) {
        this.outputDir = outputDir;
        this.codec = codec;
        this.fps = fps;
        this.bitrate = bitrate;
    }

    /** The recorder of {@code camera}, created at its first frame. */
    CameraRecorder of(String camera) {
        return recorders.computeIfAbsent(
                camera,
                c -> new CameraRecorder(c, outputDir.resolve(fileName(c)), codec, fps, bitrate));
    }

    /** The cameras that had frames. */
    Set<String> cameras() {
        return recorders.keySet();
    }

    /**
     * Finishes every video and prints a line for each to {@code out}.
     *
     * @return the frames, in all, that were not decodable images
     */
    long finish(PrintStream out) throws Exception {
        long undecodable = 0;
        for (CameraRecorder rec : recorders.values()) {
            rec.close();
            undecodable += rec.undecodable();
            out.println(rec.summary());
        }
        return undecodable;
    }

    static String fileName(String camera) {
        String safe = camera.replaceAll("[^A-Za-z0-9._-]", "_");
        return (safe.isEmpty() ? "camera" : safe) + ".mp4";
    }

    /** Closes what is still open (after a failure); a file that cannot be closed is logged. */
    @Override
    public void close() {
        for (CameraRecorder rec : recorders.values()) {
            try {
                rec.close();
            } catch (Exception e) {
                LOG.warn("Could not close {}", rec.file(), e);
            }
        }
    }
}
