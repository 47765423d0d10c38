package io.frameflow.bench;

import io.frameflow.operators.decode.ImageDecoder;
import io.frameflow.operators.face.FaceGallery;
import io.frameflow.operators.face.FaceRecognitionFunction;
import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.FrameResult;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.track.TrackFunction;
import io.frameflow.operators.track.TrackerSettings;
import io.frameflow.records.Detection;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.SettingsUpdate;
import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Scenario {@code models} (issue 17): what models beyond boxes cost per frame, side by side on the
 * same frames, one thread each (ORT and preprocessing single-threaded, as one slot's share of a
 * busy machine): YOLOX-Nano alone as the reference, YOLO11n-pose, YuNet, YuNet with MobileFaceNet
 * on every face of every frame, YuNet with MobileFaceNet once per track (the job's tracking and
 * face recognition operators, in Flink's operator harness, decide when to embed: a new track, a
 * face grown by a quarter, 2 s since the last, at most 8 per track), and YOLOX-Nano plus YuNet on
 * one frame (a camera running two models). The frames: every frame of {@code
 * face-demographics-walking-and-pause.mp4} (41 at 12 fps, 480×270, three people facing the camera),
 * played {@code -Dbench.modelLoops} times (default 5) per round as a new camera each time, so every
 * loop brings three new tracks to embed (a busy scene: more embeddings than people standing still
 * would need). Variants interleaved over {@code -Dbench.repeats} rounds (default 5) after a warm-up
 * round; wall ms per frame, median (min–max). Needs ffmpeg and no broker.
 */
final class ModelCostScenario {

    private static final String CLIP = "face-demographics-walking-and-pause.mp4";
    private static final long FRAME_MS = 83; // 12 fps

    private final int loops = Integer.getInteger("bench.modelLoops", 5);
    private final int repeats = Integer.getInteger("bench.repeats", 5);

    private interface Variant {
        /** Runs every loop of the clip; returns the wall nanoseconds. */
        long run(List<byte[]> clip) throws Exception;
    }

    private static DetectorSettings oneThread(String model) {
        return DetectorSettings.forModel(SharedResources.model(model))
                .device("cpu")
                .threads(1, 1)
                .build();
    }

    void run() throws Exception {
        ClipFrames.requireFfmpeg();
        Path dir = Files.createDirectories(Path.of("bench/target/models/clip"));
        List<byte[]> clip = ClipFrames.decode(CLIP, dir, 1);
        DetectorSettings yunetSettings = oneThread("yunet_n_dynamic.onnx");
        String embedderPath = SharedResources.model("mobilefacenet.onnx").toString();
        int faceMinSize = 30; // --face-min-size's default
        try (Detector yolox = Detector.open(oneThread("yolox_nano.onnx"));
                Detector pose = Detector.open(oneThread("yolo11n_pose_int8.onnx"));
                Detector yunet = Detector.open(yunetSettings);
                io.frameflow.operators.face.FaceEmbedder embedder =
                        io.frameflow.operators.face.FaceEmbedder.open(Path.of(embedderPath));
                ImageDecoder decoder = new ImageDecoder()) {
            long[] embeddings = new long[1];
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("YOLOX-Nano (persons): the reference", c -> each(c, yolox::detect));
            variants.put("YOLO11n-pose (persons + 17 keypoints)", c -> each(c, pose::detect));
            variants.put("YuNet (faces + 5 landmarks)", c -> each(c, yunet::detect));
            variants.put(
                    "YuNet + MobileFaceNet on every face of every frame",
                    c ->
                            each(
                                    c,
                                    jpeg -> {
                                        FrameResult r = yunet.detect(jpeg);
                                        var image =
                                                decoder.decode(
                                                                jpeg,
                                                                Integer.MAX_VALUE,
                                                                Integer.MAX_VALUE)
                                                        .image();
                                        for (Detection d : r.detections()) {
                                            if (d.landmarks() != null
                                                    && d.x2() - d.x1() >= faceMinSize) {
                                                embedder.embed(image, d.landmarks());
                                                embeddings[0]++;
                                            }
                                        }
                                    }));
            variants.put(
                    "YuNet + MobileFaceNet once per track (tracking + the job's face recognition)",
                    c -> oncePerTrack(c, yunet, yunetSettings, embedderPath, faceMinSize));
            variants.put(
                    "YOLOX-Nano + YuNet on the same frame (two models, one camera)",
                    c ->
                            each(
                                    c,
                                    jpeg -> {
                                        yolox.detect(jpeg);
                                        yunet.detect(jpeg);
                                    }));

            Map<String, List<Double>> ms = new LinkedHashMap<>();
            double everyFaceEmbeddings = 0;
            for (int round = -1; round < repeats; round++) { // -1: warm-up, not kept
                for (Map.Entry<String, Variant> v : variants.entrySet()) {
                    embeddings[0] = 0;
                    double perFrame = v.getValue().run(clip) / 1e6 / (clip.size() * loops);
                    if (round >= 0) {
                        ms.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(perFrame);
                    }
                    if (embeddings[0] > 0) {
                        everyFaceEmbeddings = embeddings[0] / (double) (clip.size() * loops);
                    }
                }
            }
            Table t =
                    new Table(
                            "Models beyond boxes, per frame (issue 17): "
                                    + CLIP
                                    + ", every frame ("
                                    + clip.size()
                                    + ") x "
                                    + loops
                                    + " loops, each loop a new camera; one thread; median"
                                    + " (min–max) of "
                                    + repeats
                                    + " interleaved rounds",
                            "what runs on each frame",
                            "ms / frame",
                            "× YOLOX-Nano alone");
            double base = Spread.median(ms.values().iterator().next());
            ms.forEach(
                    (name, xs) ->
                            t.row(name, Spread.of(xs, 2), Table.f2(Spread.median(xs) / base)));
            t.print();
            Table.note(
                    String.format(
                            "every face of every frame: %.2f embeddings per frame (faces of at"
                                    + " least %d px with landmarks)",
                            everyFaceEmbeddings, faceMinSize));
        }
    }

    private interface PerFrame {
        void accept(byte[] jpeg) throws Exception;
    }

    private long each(List<byte[]> clip, PerFrame f) throws Exception {
        long t0 = System.nanoTime();
        for (int loop = 0; loop < loops; loop++) {
            for (byte[] jpeg : clip) {
                f.accept(jpeg);
            }
        }
        return System.nanoTime() - t0;
    }

    /** YuNet, then the job's tracking and face recognition operators, a new camera per loop. */
    private long oncePerTrack(
            List<byte[]> clip,
            Detector yunet,
            DetectorSettings yunetSettings,
            String embedder,
            int minSize)
            throws Exception {
        var track =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new TrackFunction(TrackerSettings.DEFAULTS),
                        (InferenceResult.Detected d) -> d.frame().camera(),
                        Types.STRING,
                        TrackFunction.SETTINGS);
        KeyedBroadcastOperatorTestHarness<
                        String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected>
                faces =
                        new KeyedBroadcastOperatorTestHarness<>(
                                new CoBroadcastWithKeyedOperator<>(
                                        new FaceRecognitionFunction(
                                                yunetSettings,
                                                embedder,
                                                FaceGallery.DEFAULT_THRESHOLD,
                                                minSize,
                                                Map.of()),
                                        List.of(FaceRecognitionFunction.GALLERY)),
                                d -> d.frame().camera(),
                                Types.STRING,
                                1,
                                1,
                                0);
        faces.setup();
        faces.open(); // loads the embedder and a face detector for gallery photos: not timed
        faces.processBroadcastWatermark(Long.MAX_VALUE);
        track.processBroadcastWatermark(Long.MAX_VALUE);
        try {
            long t0 = System.nanoTime();
            long seq = 0;
            for (int loop = 0; loop < loops; loop++) {
                String camera = "loop-" + loop;
                for (byte[] jpeg : clip) {
                    FrameResult r = yunet.detect(jpeg);
                    long ts = seq * FRAME_MS;
                    Frame f = new Frame(camera, seq, ts, Frame.JPEG, jpeg, "t", 0, seq);
                    FrameDetections d =
                            new FrameDetections(
                                    camera,
                                    seq,
                                    ts,
                                    r.width(),
                                    r.height(),
                                    "yunet_n_dynamic",
                                    0,
                                    r.detections(),
                                    false);
                    track.processElement(
                            new StreamRecord<>(new InferenceResult.Detected(f, d), ts));
                    for (InferenceResult.Detected tracked : track.extractOutputValues()) {
                        faces.processElement(new StreamRecord<>(tracked, ts));
                    }
                    track.getOutput().clear();
                    faces.getOutput().clear();
                    seq++;
                }
            }
            return System.nanoTime() - t0;
        } finally {
            track.close();
            faces.close();
        }
    }
}
