package io.frameflow.bench;

import io.frameflow.operators.inference.Detector;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.FrameResult;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.order.CaptureOrderFunction;
import io.frameflow.operators.order.ResultPosition;
import io.frameflow.operators.policy.InferEveryFunction;
import io.frameflow.operators.stats.FrameSample;
import io.frameflow.operators.track.TrackFunction;
import io.frameflow.operators.track.TrackerSettings;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.testkit.ClipFrames;
import io.frameflow.testkit.SharedResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;

/**
 * Scenario {@code tracking} (issue 16): what the capture-order and tracking stages cost per frame,
 * on their own. The real clip {@code one-by-one-person-detection.mp4} at 5 fps is run once through
 * YOLOX-Nano, or the detector {@code -Dbench.trackingModel} names (persons, scores down to 0.1 as
 * the tracker's second stage wants); its detections then go, as {@code -Dbench.trackingCameras}
 * cameras (default 16) interleaved frame by frame, {@code -Dbench.trackingLoops} times round the
 * clip (default 3), through the job's own operators in Flink's operator test harness with the heap
 * state backend (the job's): capture order with the frames in order and with them reordered as
 * unordered inference lets them out (8 frames of every camera shuffled, released by the arrival
 * watermark), and the tracking operator (settings, ByteTrack, a line and a zone, events, samples)
 * at inferEvery 1 and 3 and with tracking off. A pass-through keyed function in the same harness is
 * the floor capture order's rows include; the same with a stats sample to the side output per frame
 * is the tracking rows' floor (the harness copies every side-output record with a serializer it
 * makes for it, 12 µs here, which the job does not do). Frames carry no JPEG (the job hands records
 * on by reference, object reuse on; the harness would copy them). Variants interleaved over {@code
 * -Dbench.repeats} rounds (default 5) after a warm-up round; wall µs per frame, median (min–max).
 * Needs ffmpeg (the clip) and no broker.
 */
final class TrackingCostScenario {

    static final String CLIP = "one-by-one-person-detection.mp4";

    /** The exit line and the table zone of the job's real-clip tests. */
    static final String SETTINGS =
            "{\"site\":\"office\","
                    + "\"lines\":[{\"name\":\"exit\",\"points\":[[0.75,0.0],[0.75,1.0]]}],"
                    + "\"zones\":[{\"name\":\"table\",\"polygon\":[[0.3,0.6],[0.7,0.6],[0.7,1.0],"
                    + "[0.3,1.0]],\"loiterSeconds\":8}]}";

    static final long FRAME_MS = 200; // 5 fps
    private static final int REORDER_BLOCK = 8;

    private final int cameras = Integer.getInteger("bench.trackingCameras", 16);
    private final int loops = Integer.getInteger("bench.trackingLoops", 3);
    private final int repeats = Integer.getInteger("bench.repeats", 5);
    // the line and zone counts at inferEvery N depend on the detector's boxes: another model's
    private final String model = System.getProperty("bench.trackingModel", "yolox_nano.onnx");

    interface Variant {
        /** Runs the stream through a fresh operator, returns the wall nanoseconds taken. */
        long run(List<InferenceResult.Detected> stream) throws Exception;
    }

    void run() throws Exception {
        List<FrameResult> clip = clipDetections(model);
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put(
                "pass-through keyed function (the harness's own cost)", s -> passThrough(s, false));
        // the harness copies each side-output record with a serializer it makes for it: what
        // tracking's per-frame sample costs here and not in the job
        variants.put(
                "pass-through + a stats sample per frame (the harness's cost for tracking's outputs)",
                s -> passThrough(s, true));
        variants.put("capture order, frames in order", s -> captureOrder(s, false));
        variants.put(
                "capture order, 8 frames per camera shuffled (released by the watermark)",
                s -> captureOrder(s, true));
        variants.put("settings only (--tracking false)", s -> track(s, false));
        variants.put("tracking + line + zone, inferEvery 1", s -> track(s, true));
        Map<String, List<InferenceResult.Detected>> streams = new LinkedHashMap<>();
        for (String v : variants.keySet()) {
            streams.put(v, stream(clip, 1));
        }
        String every3 = "tracking + line + zone, inferEvery 3 (2 of 3 frames predicted)";
        variants.put(every3, s -> track(s, true));
        streams.put(every3, stream(clip, 3));

        Map<String, List<Double>> micros = new LinkedHashMap<>();
        for (int round = -1; round < repeats; round++) { // round -1: warm-up, not kept
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                List<InferenceResult.Detected> s = streams.get(v.getKey());
                double us = v.getValue().run(s) / 1e3 / s.size();
                if (round >= 0) {
                    micros.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(us);
                }
            }
        }
        int frames = streams.values().iterator().next().size();
        Table t =
                new Table(
                        "Capture order and tracking per frame (issue 16): "
                                + CLIP
                                + " at 5 fps, "
                                + cameras
                                + " cameras x "
                                + loops
                                + " loops = "
                                + frames
                                + " frames per run, the job's operators in Flink's test harness,"
                                + " heap state; median (min–max) of "
                                + repeats
                                + " interleaved rounds",
                        "stage",
                        "µs / frame",
                        "the stage's own (µs / frame above its floor row)");
        List<String> names = new ArrayList<>(micros.keySet());
        double passing = Spread.median(micros.get(names.get(0)));
        double sampling = Spread.median(micros.get(names.get(1)));
        micros.forEach(
                (stage, us) -> {
                    // the tracking operator emits a sample per frame: its floor is the row that
                    // does too; capture order's is the plain pass-through
                    boolean floorRow = stage.equals(names.get(0)) || stage.equals(names.get(1));
                    double floor = stage.startsWith("capture order") ? passing : sampling;
                    t.row(
                            stage,
                            Spread.of(us, 1),
                            floorRow ? "(floor)" : Table.f1(Spread.median(us) - floor));
                });
        t.print();
        InferEveryCounts.of(clip, model, InferEveryCounts.ISSUE_NS).print();
    }

    /** The clip's detections by {@code model} at 5 fps (persons, scores down to 0.1), once. */
    static List<FrameResult> clipDetections(String model) throws Exception {
        ClipFrames.requireFfmpeg();
        Path dir = Files.createTempDirectory("bench-tracking-clip");
        List<byte[]> jpegs = ClipFrames.decode(CLIP, dir, 2);
        List<FrameResult> out = new ArrayList<>();
        try (Detector detector =
                Detector.open(
                        DetectorSettings.forModel(SharedResources.model(model))
                                .device("cpu")
                                .scoreThreshold(0.1f)
                                .classFilter(List.of("person"))
                                .build())) {
            for (byte[] jpeg : jpegs) {
                out.add(detector.detect(jpeg));
            }
        }
        return out;
    }

    /**
     * The clip as {@link #cameras} cameras, frame by frame in turn, round the clip {@link #loops}
     * times.
     */
    private List<InferenceResult.Detected> stream(List<FrameResult> clip, int inferEvery) {
        List<InferenceResult.Detected> out = new ArrayList<>();
        CameraSettings every = CameraSettings.builder().inferEvery(inferEvery).build();
        for (int i = 0; i < clip.size() * loops; i++) {
            FrameResult r = clip.get(i % clip.size());
            for (int c = 0; c < cameras; c++) {
                String camera = "cam-" + c;
                out.add(detected(camera, i, r, every.infers(camera, i))); // as the job chooses
            }
        }
        return out;
    }

    /**
     * Frame {@code seq} of a camera as the tracker gets it: the detector's result when inferred,
     * else a predicted frame without detections; no JPEG (the job hands records on by reference).
     */
    static InferenceResult.Detected detected(
            String camera, long seq, FrameResult r, boolean inferred) {
        long ts = seq * FRAME_MS;
        Frame f = new Frame(camera, seq, ts, Frame.JPEG, new byte[0], "t", 0, seq);
        FrameDetections d =
                new FrameDetections(
                        camera,
                        seq,
                        ts,
                        r.width(),
                        r.height(),
                        inferred ? "yolox_nano" : InferEveryFunction.PREDICTED_BY,
                        0,
                        inferred ? r.detections() : List.of(),
                        !inferred);
        return new InferenceResult.Detected(f, d);
    }

    private static final class PassThrough
            extends KeyedProcessFunction<String, InferenceResult, InferenceResult> {
        private final boolean sample;

        PassThrough(boolean sample) {
            this.sample = sample;
        }

        @Override
        public void processElement(InferenceResult r, Context ctx, Collector<InferenceResult> out) {
            out.collect(r);
            if (sample && r instanceof InferenceResult.Detected d) {
                ctx.output(
                        TrackFunction.FRAME_SAMPLES,
                        FrameSample.inferred(d.detections(), d.frame().captureTs()));
            }
        }
    }

    private long passThrough(List<InferenceResult.Detected> stream, boolean sample)
            throws Exception {
        return feed(
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new PassThrough(sample), r -> r.frame().camera(), Types.STRING),
                new ArrayList<>(stream),
                false);
    }

    private long captureOrder(List<InferenceResult.Detected> stream, boolean reorder)
            throws Exception {
        List<InferenceResult> in = new ArrayList<>(stream);
        if (reorder) {
            // the stream takes the cameras in turn: a block of 8 frames of every camera
            int block = REORDER_BLOCK * cameras;
            Random random = new Random(42);
            for (int b = 0; b < in.size(); b += block) {
                Collections.shuffle(in.subList(b, Math.min(in.size(), b + block)), random);
            }
        }
        return feed(
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CaptureOrderFunction<>(
                                TypeInformation.of(InferenceResult.class), new ResultPosition()),
                        r -> r.frame().camera(),
                        Types.STRING),
                in,
                reorder);
    }

    /**
     * Feeds {@code in} with arrival times 1 ms apart; with {@code watermarks}, the arrival
     * watermark after each block; the outputs are dropped as they come. Returns the wall time.
     */
    private long feed(
            KeyedOneInputStreamOperatorTestHarness<String, InferenceResult, InferenceResult> h,
            List<InferenceResult> in,
            boolean watermarks)
            throws Exception {
        try {
            long out = 0;
            long t0 = System.nanoTime();
            int block = REORDER_BLOCK * cameras;
            for (int i = 0; i < in.size(); i++) {
                h.processElement(new StreamRecord<>(in.get(i), i));
                if ((i + 1) % block == 0) {
                    if (watermarks) {
                        h.processWatermark(new Watermark(i));
                    }
                    out += h.extractOutputValues().size();
                    h.getOutput().clear();
                }
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            long t = System.nanoTime() - t0;
            out += h.extractOutputValues().size();
            if (out != in.size()) { // every frame came out: the run did the work it stands for
                throw new IllegalStateException(out + " of " + in.size() + " frames came out");
            }
            return t;
        } finally {
            h.close();
        }
    }

    private long track(List<InferenceResult.Detected> stream, boolean tracking) throws Exception {
        CameraSettingsJson json = new CameraSettingsJson();
        CameraSettings settings = json.parse(SETTINGS.getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> file = Map.of("*", json.write(settings));
        var h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new TrackFunction(
                                TrackerSettings.DEFAULTS, tracking, file, Duration.ofMinutes(1)),
                        (InferenceResult.Detected d) -> d.frame().camera(),
                        Types.STRING,
                        TrackFunction.SETTINGS);
        try {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            long t0 = System.nanoTime();
            for (int i = 0; i < stream.size(); i++) {
                InferenceResult.Detected d = stream.get(i);
                h.processElement(new StreamRecord<>(d, d.frame().captureTs()));
                if ((i + 1) % 64 == 0) {
                    h.getOutput().clear();
                    clear(h.getSideOutput(TrackFunction.EVENTS));
                    clear(h.getSideOutput(TrackFunction.FRAME_SAMPLES));
                }
            }
            return System.nanoTime() - t0;
        } finally {
            h.close();
        }
    }

    private static void clear(java.util.Collection<?> side) {
        if (side != null) {
            side.clear();
        }
    }
}
