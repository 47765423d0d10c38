package io.frameflow.bench;

/** What reads the frames topic and writes annotated frames: the FrameFlow job or the baseline. */
interface SystemUnderTest extends AutoCloseable {

    /** False once it has failed or stopped. */
    boolean alive();

    /** Size of the latest completed checkpoint in bytes, or -1 where there is none. */
    default long checkpointBytes() {
        return -1;
    }

    @Override
    void close() throws Exception;
}
