package io.frameflow.producer.produce;

/** Decoded frames from one place (file, stream, webcam, folder); one thread uses it. */
public interface FrameSource extends AutoCloseable {

    /** Opens or reopens the source; throws a {@link SourceException} that says why it can't. */
    void open() throws SourceException;

    /** The next frame, or null at the end of the source (or of a live stream that ended). */
    GrabbedFrame next() throws SourceException;

    /** The source's own frame rate, or 0 when unknown. */
    double frameRate();

    /** Duration of a file or folder in microseconds, or -1 when unknown (live sources). */
    default long lengthMicros() {
        return -1;
    }

    /** Width x height of the decoded frames, for logs. */
    String describe();

    /** Items that were skipped as unreadable (images in a folder); each was logged. */
    default long skipped() {
        return 0;
    }

    @Override
    void close();
}
