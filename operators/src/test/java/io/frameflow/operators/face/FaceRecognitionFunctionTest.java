package io.frameflow.operators.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.SettingsUpdate;
import io.frameflow.testkit.SharedFrames;
import io.frameflow.testkit.SharedFrames.SharedFrame;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FaceRecognitionFunction} in a harness, with the real YuNet and MobileFaceNet models on the
 * 14 {@code head-pose-2faces} frames of media/frames: a woman on the left (track 1), a man on the
 * right (track 2), by eye; the tracker's ids are stood in for by that position. The man is enrolled
 * through the gallery topic with a photo cut from the first frame (his half: one face).
 */
class FaceRecognitionFunctionTest {

    private static final DetectorSettings YUNET =
            DetectorSettings.forModel(SharedResources.model("yunet_n_dynamic.onnx"))
                    .device("cpu")
                    .threads(1, 1)
                    .build();

    private static List<SharedFrame> frames;
    private static List<List<Detection>> faces; // per frame, with track ids 1 (left), 2 (right)
    private static byte[] manPhoto;
    private static byte[] bothPhoto;
    private static byte[] greyPhoto;

    private KeyedBroadcastOperatorTestHarness<
                    String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
            harness;

    @BeforeAll
    static void detectFaces() throws Exception {
        frames =
                SharedFrames.load().stream()
                        .filter(f -> f.camera().equals("head-pose-2faces"))
                        .toList();
        assertThat(frames).hasSize(14);
        faces = new ArrayList<>();
        try (Detector yunet = Detector.open(YUNET)) {
            for (SharedFrame f : frames) {
                List<Detection> tracked = new ArrayList<>();
                for (Detection d : yunet.detect(f.jpeg()).detections()) {
                    tracked.add(d.withTrackId((d.x1() + d.x2()) / 2 < 240 ? 1 : 2));
                }
                assertThat(tracked).as(f.fileName()).hasSize(2);
                faces.add(tracked);
            }
        }
        bothPhoto = frames.get(0).jpeg();
        try (Mat whole = imdecode(new Mat(new BytePointer(bothPhoto)), IMREAD_COLOR);
                Mat right = new Mat(whole, new Rect(240, 0, whole.cols() - 240, whole.rows()));
                Mat grey = new Mat(270, 240, CV_8UC3, new Scalar(128, 128, 128, 0))) {
            manPhoto = encode(right.clone());
            greyPhoto = encode(grey);
        }
    }

    private static byte[] encode(Mat m) {
        try (BytePointer out = new BytePointer()) {
            imencode(".jpg", m, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    @AfterAll
    static void forget() {
        frames = null;
        faces = null;
    }

    private static FaceRecognitionFunction function() {
        return new FaceRecognitionFunction(
                YUNET,
                SharedResources.model("mobilefacenet.onnx").toString(),
                FaceGallery.DEFAULT_THRESHOLD,
                30,
                Map.of());
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
            harness(OperatorSubtaskState restore) throws Exception {
        KeyedBroadcastOperatorTestHarness<
                        String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
                h =
                        new KeyedBroadcastOperatorTestHarness<>(
                                new CoBroadcastWithKeyedOperator<>(
                                        function(), List.of(FaceRecognitionFunction.GALLERY)),
                                d -> d.frame().camera(),
                                Types.STRING,
                                1,
                                1,
                                0);
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE);
        return h;
    }

    @BeforeEach
    void open() throws Exception {
        harness = harness(null);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void photo(String name, byte[] jpeg) throws Exception {
        harness.processBroadcastElement(
                new SettingsUpdate(
                        name.getBytes(StandardCharsets.UTF_8), jpeg, "frames.faces", 0, 7),
                0);
    }

    /** Frame {@code i} through the function; its output's labels by track id 1, 2. */
    private List<Detection> frame(int i) throws Exception {
        SharedFrame f = frames.get(i);
        long ts = 1_000_000 + i * 500L;
        Frame frame = new Frame("cam", i, ts, Frame.JPEG, f.jpeg(), "frames", 0, i);
        harness.processElement(
                new StreamRecord<>(
                        new InferenceResult.Detected(
                                frame,
                                new FrameDetections(
                                        "cam", i, ts, 480, 270, "yunet", 1, faces.get(i))),
                        ts));
        List<InferenceResult.Detected> out = harness.extractOutputValues();
        List<Detection> last = new ArrayList<>(out.get(out.size() - 1).detections().detections());
        last.sort((a, b) -> Long.compare(a.trackId(), b.trackId()));
        return last;
    }

    @Test
    void facesAreUnknownUntilThePersonIsEnrolledThenNamedFromTheNextFrame() throws Exception {
        List<Detection> first = frame(0);
        assertThat(first).extracting(Detection::label).containsExactly("unknown", "unknown");
        assertThat(first.get(0).similarity()).isZero(); // nobody to be like

        photo("man-blue", manPhoto);
        for (int i = 1; i < frames.size(); i++) {
            List<Detection> named = frame(i);
            assertThat(named).extracting(Detection::trackId).containsExactly(1L, 2L);
            assertThat(named.get(0).label()).as("woman, frame %d", i).isEqualTo("unknown");
            assertThat(named.get(1).label()).as("man, frame %d", i).isEqualTo("man-blue");
            assertThat(named.get(1).similarity())
                    .isGreaterThanOrEqualTo((float) FaceGallery.DEFAULT_THRESHOLD);
            // boxes, scores and landmarks are the detector's
            Detection man =
                    faces.get(i).stream().filter(d -> d.trackId() == 2).findFirst().orElseThrow();
            assertThat(named.get(1).x1()).isEqualTo(man.x1());
            assertThat(named.get(1).landmarks()).isEqualTo(man.landmarks());
        }
        assertThat(harness.getSideOutput(FaceRecognitionFunction.REFUSED)).isNull();
    }

    @Test
    void theEnrolmentSurvivesARestoreWithoutThePhotoAndATombstoneForgetsThePerson()
            throws Exception {
        photo("man-blue", manPhoto);
        assertThat(frame(0).get(1).label()).isEqualTo("man-blue");
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness(snapshot);
        assertThat(frame(1).get(1).label()).isEqualTo("man-blue");
        photo("man-blue", null);
        assertThat(frame(2).get(1).label()).isEqualTo("unknown");
    }

    @Test
    void photosWithSeveralFacesOrNoneAreRefusedAndChangeNothing() throws Exception {
        photo("man-blue", manPhoto);
        photo("man-blue", bothPhoto); // must not replace the good enrolment
        photo("nobody", greyPhoto);
        photo("", manPhoto);
        List<String> reasons =
                harness.getSideOutput(FaceRecognitionFunction.REFUSED).stream()
                        .map(r -> ((StreamRecord<DeadLetter>) r).getValue().reasonCode())
                        .toList();
        assertThat(reasons)
                .containsExactly("face-photo-several-faces", "face-photo-no-face", "face-bad-name");
        List<Detection> named = frame(3);
        assertThat(named.get(1).label()).isEqualTo("man-blue");
        assertThat(named.get(0).label()).isEqualTo("unknown");
    }
}
