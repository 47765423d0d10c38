package io.frameflow.operators.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
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
        // the main output of the job's inference results; InferenceResult itself has its own
        // serializer, tested in InferenceResultSerializerTest
        assertSerializedAsPojoWithoutKryo(InferenceResult.Detected.class);
    }
}
