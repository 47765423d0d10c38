package io.frameflow.producer.produce;

/** What a {@code --source} points at; decides how it is opened and how failures are handled. */
public enum SourceKind {
    /** A video file (mp4, avi, mkv, ...), decoded with FFmpeg; plays at its own rate. */
    FILE(false),
    /** An RTSP/RTMP/HTTP(S)/UDP/SRT stream; reconnected with backoff when it drops. */
    STREAM(true),
    /** A V4L2 webcam such as /dev/video0; reopened with backoff when it fails. */
    V4L2(true),
    /** A folder of images, published in file-name order. */
    IMAGE_FOLDER(false);

    private final boolean live;

    SourceKind(boolean live) {
        this.live = live;
    }

    /** Live sources are paced by the device and reconnected; the others are read to the end. */
    public boolean live() {
        return live;
    }
}
