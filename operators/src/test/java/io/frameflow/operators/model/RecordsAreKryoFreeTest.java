package io.frameflow.operators.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.api.Test;

/** The records that cross operator boundaries must be Flink POJOs, never Kryo generic types. */
class RecordsAreKryoFreeTest {

    @Test
    void frame() {
        assertSerializedAsPojoWithoutKryo(Frame.class);
    }

    @Test
    void detection() {
        assertSerializedAsPojoWithoutKryo(Detection.class);
    }

    @Test
    void frameDetections() {
        assertSerializedAsPojoWithoutKryo(FrameDetections.class);
    }

    @Test
    void windowStats() {
        assertSerializedAsPojoWithoutKryo(WindowStats.class);
    }

    @Test
    void annotatedFrame() {
        assertSerializedAsPojoWithoutKryo(AnnotatedFrame.class);
    }

    @Test
    void deadLetter() {
        assertSerializedAsPojoWithoutKryo(DeadLetter.class);
    }

    @Test
    void detectedFrame() {
        assertSerializedAsPojoWithoutKryo(DetectedFrame.class);
    }
}
