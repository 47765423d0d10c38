package io.frameflow.operators.track;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.metrics.DeadLetterMetrics;
import io.frameflow.operators.policy.InferEveryFunction;
import io.frameflow.operators.scene.SceneMetrics;
import io.frameflow.operators.scene.SceneRules;
import io.frameflow.operators.scene.SceneRules.SceneResult;
import io.frameflow.operators.scene.SceneState;
import io.frameflow.operators.settings.SettingsBroadcast;
import io.frameflow.operators.settings.SettingsLookup;
import io.frameflow.operators.stats.FrameSample;
import io.frameflow.operators.stats.SceneSample;
import io.frameflow.records.CameraEvent;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Detection;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import io.frameflow.records.settings.SettingsResolver;
import io.frameflow.records.settings.SettingsUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each camera's settings to its frames (which arrive in capture order, {@code
 * CaptureOrderFunction}) and runs its {@link ByteTracker}, putting the track ids on the detections.
 *
 * <p>Settings: the documents of the settings topic arrive as broadcast state (validated on arrival;
 * a refused one is dead-lettered and counted, and the camera keeps what it had), over those of
 * {@code --camera-config}; a camera's settings are the {@code *} defaults merged with its own
 * ({@link SettingsResolver#resolve}). They choose the classes, minimum score and masked areas
 * ({@link CameraRules#keep}) and the tracker's parameters ({@link CameraRules#tracker}), applied
 * from the next frame on, without a restart.
 *
 * <p>Tracking: the tracker lives in keyed state ({@link TrackerStore}), so ids survive a failover,
 * a rescale and an upgrade; the id counter is kept apart and never cleared, so a camera's ids never
 * start again from 1. When a camera stops sending, a timer clears its tracks once the last of them
 * would have been dropped anyway (its lost-track buffer, in arrival time, plus {@link
 * #CLEAR_MARGIN_MS}), and ends their zone visits. Right after a (re)start the timers restored with
 * the state are due at once (the watermark is the wall clock, the backlog since the checkpoint is
 * not read yet), so no camera is called quiet before the job has run for {@code restartGraceMs}
 * ({@code --close-windows-after}, as for the stats windows): a failover must not end tracks that
 * the replayed frames continue.
 */
public class TrackFunction
        extends KeyedBroadcastProcessFunction<
                String, InferenceResult.Detected, SettingsUpdate, InferenceResult.Detected> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrackFunction.class);

    /** Camera id or {@code *} to its canonical settings JSON. */
    public static final MapStateDescriptor<String, byte[]> SETTINGS = SettingsBroadcast.STATE;

    /** What tracked objects did on the cameras' lines and zones ({@link SceneRules}). */
    public static final OutputTag<CameraEvent> EVENTS =
            new OutputTag<>("camera-events", TypeInformation.of(CameraEvent.class));

    /** One sample per frame for the stats windows, with its lines, zones and tracks. */
    public static final OutputTag<FrameSample> FRAME_SAMPLES =
            new OutputTag<>("frame-samples", TypeInformation.of(FrameSample.class));

    /** Settings documents refused on arrival, for the dead-letter topic. */
    public static final OutputTag<DeadLetter> REFUSED =
            new OutputTag<>("refused-settings", TypeInformation.of(DeadLetter.class));

    /** Added to a quiet camera's remaining lost-track buffer before its tracks are cleared. */
    static final long CLEAR_MARGIN_MS = 1_000;

    private final TrackerSettings base;
    private final boolean tracking;
    private final Map<String, byte[]> fromFile; // --camera-config, canonical JSON
    private final long restartGraceMs;
    private final List<String> models;

    private transient TrackerStore store;
    private transient ValueState<Long> clearAt;
    private transient ValueState<byte[]> scenes;
    private transient CameraSettingsJson json;
    private transient SettingsLookup lookup;
    private transient SceneRules rules;
    private transient long openedAt;
    private transient SceneMetrics metrics;
    private transient int stateBytes; // the camera's tracker + scene state after this frame
    private transient boolean sceneHeld; // the camera's scene state holds tracks after this frame
    private transient DeadLetterMetrics refusals;

    /**
     * @param base the tracker's parameters (the job's defaults and {@code --tracker})
     * @param tracking false: settings are applied, nothing is tracked
     * @param fromFile {@code --camera-config}'s documents by key (canonical JSON), under the
     *     topic's
     */
    public TrackFunction(
            TrackerSettings base,
            boolean tracking,
            Map<String, byte[]> fromFile,
            Duration restartGrace) {
        this(base, tracking, fromFile, restartGrace, null);
    }

    /**
     * @param models the job's model names: a document choosing another is refused ({@code
     *     unknown-model}); null = not checked
     */
    public TrackFunction(
            TrackerSettings base,
            boolean tracking,
            Map<String, byte[]> fromFile,
            Duration restartGrace,
            List<String> models) {
        this.base = base;
        this.tracking = tracking;
        this.fromFile = new HashMap<>(fromFile);
        this.restartGraceMs = restartGrace.toMillis();
        this.models = models == null ? null : List.copyOf(models);
    }

    /** Tracking on, no settings file, a minute's grace after a (re)start. */
    public TrackFunction(TrackerSettings base) {
        this(base, true, Map.of(), Duration.ofMinutes(1));
    }

    @Override
    public void open(OpenContext openContext) {
        store = new TrackerStore(getRuntimeContext());
        clearAt = getRuntimeContext().getState(new ValueStateDescriptor<>("clear-at", Types.LONG));
        scenes =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "scene",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        json = new CameraSettingsJson();
        lookup = new SettingsLookup(fromFile);
        rules = new SceneRules();
        metrics = new SceneMetrics(getRuntimeContext().getMetricGroup());
        openedAt = Long.MIN_VALUE; // the first element's or timer's processing time
        refusals = new DeadLetterMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processBroadcastElement(
            SettingsUpdate update, Context ctx, Collector<InferenceResult.Detected> out)
            throws Exception {
        try {
            SettingsBroadcast.apply(update, ctx.getBroadcastState(SETTINGS), json, models);
        } catch (SettingsException e) {
            refusals.counter(e.code()).inc();
            LOG.warn(
                    "Settings for '{}' refused, the camera keeps its previous settings: {}",
                    new String(update.key(), StandardCharsets.UTF_8),
                    e.deadLetterReason());
            ctx.output(REFUSED, update.refused(ctx.currentProcessingTime(), e.deadLetterReason()));
        }
    }

    @Override
    public void processElement(
            InferenceResult.Detected in,
            ReadOnlyContext ctx,
            Collector<InferenceResult.Detected> out)
            throws Exception {
        started(ctx.timerService().currentProcessingTime());
        FrameDetections d = in.detections();
        CameraSettings settings = lookup.of(ctx.getBroadcastState(SETTINGS), d.camera());
        List<Detection> detections =
                CameraRules.keep(
                        settings,
                        d.detections() == null ? List.of() : d.detections(),
                        d.width(),
                        d.height());
        if (!tracking) {
            FrameDetections kept = d.withDetections(detections);
            sample(
                    ctx,
                    kept,
                    settings.site() == null
                            ? null
                            : SceneSample.of(settings.site(), List.of(), Map.of(), List.of()));
            out.collect(new InferenceResult.Detected(in.frame(), kept));
            return;
        }
        TrackerSettings trackerSettings = CameraRules.tracker(base, settings.tracker());
        ByteTracker tracker = store.load(trackerSettings);
        FrameDetections tracked =
                d.withDetections(
                        d.predicted()
                                ? store.predict(
                                        tracker, d, !InferEveryFunction.UNCHANGED.equals(d.model()))
                                : store.track(tracker, d, detections));
        stateBytes = store.stateBytes();
        SceneResult scene = applyScene(settings, tracked, trackerSettings.trackBufferMs(), ctx);
        boolean watching = sceneHeld;
        metrics.frame(
                d.camera(),
                settings.lines(),
                settings.zones(),
                scene == null ? Map.of() : scene.occupancy(),
                stateBytes);
        // if this is the camera's last frame for a while: clear its tracks (and zone visits)
        // when they would all have expired
        if (!tracker.isIdle()) {
            scheduleClear(ctx, Math.max(0, tracker.idleAfter() - d.captureTs()));
        } else if (watching) {
            scheduleClear(ctx, trackerSettings.trackBufferMs());
        }
        sample(
                ctx,
                tracked,
                SceneSample.of(
                        settings.site(),
                        scene == null ? List.of() : scene.events(),
                        scene == null ? Map.of() : scene.occupancy(),
                        tracked.detections()));
        out.collect(new InferenceResult.Detected(in.frame(), tracked));
    }

    /** The frame's sample for its stats window, latency measured now. */
    private static void sample(ReadOnlyContext ctx, FrameDetections frame, SceneSample scene) {
        ctx.output(FRAME_SAMPLES, FrameSample.inferred(frame, System.currentTimeMillis(), scene));
    }

    /**
     * Lines and zones over the tracked detections: events to {@link #EVENTS}.
     *
     * @return what the frame did, or null when the camera has no lines or zones to watch
     */
    private SceneResult applyScene(
            CameraSettings settings, FrameDetections frame, long bufferMs, ReadOnlyContext ctx)
            throws Exception {
        sceneHeld = false;
        byte[] bytes = scenes.value();
        if (bytes == null && settings.lines().isEmpty() && settings.zones().isEmpty()) {
            return null; // nothing to watch, nothing remembered
        }
        SceneState scene = bytes == null ? new SceneState() : SceneState.fromBytes(bytes);
        SceneResult result = rules.update(settings, frame, bufferMs, scene);
        for (CameraEvent e : result.events()) {
            ctx.output(EVENTS, e);
        }
        metrics.events(frame.camera(), result.events());
        if (scene.isEmpty()) {
            scenes.clear();
        } else {
            byte[] state = scene.toBytes();
            stateBytes += state.length;
            scenes.update(state);
            sceneHeld = true;
        }
        return result;
    }

    /**
     * Moves the camera's clear timer to {@code remainingMs} (capture time) from this frame, in
     * arrival time, which the watermark follows.
     */
    private void scheduleClear(ReadOnlyContext ctx, long remainingMs) throws Exception {
        long arrival =
                ctx.timestamp() != null
                        ? ctx.timestamp()
                        : ctx.timerService().currentProcessingTime();
        long at = ceilToSecond(arrival + remainingMs + CLEAR_MARGIN_MS);
        Long previous = clearAt.value();
        if (previous == null || previous != at) {
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous);
            }
            ctx.timerService().registerEventTimeTimer(at);
            clearAt.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<InferenceResult.Detected> out)
            throws Exception {
        started(ctx.timerService().currentProcessingTime());
        Long at = clearAt.value();
        long graceEnd = ceilToSecond(openedAt + restartGraceMs);
        if (at != null && at == timestamp && timestamp < graceEnd) {
            // just (re)started: the camera's frames since the checkpoint may still be unread
            ctx.timerService().registerEventTimeTimer(graceEnd);
            clearAt.update(graceEnd);
            return;
        }
        if (at != null && at == timestamp) {
            store.clearTracks(); // the id counter stays: ids never repeat on a camera
            clearAt.clear();
            byte[] scene = scenes.value();
            if (scene != null) {
                // the camera went quiet: its tracks are gone, so are their zone visits
                String camera = ctx.getCurrentKey();
                CameraSettings settings = lookup.of(ctx.getBroadcastState(SETTINGS), camera);
                List<CameraEvent> ended =
                        rules.endAll(settings, camera, SceneState.fromBytes(scene));
                for (CameraEvent e : ended) {
                    ctx.output(EVENTS, e);
                }
                metrics.events(camera, ended);
                scenes.clear();
            }
        }
    }

    private void started(long processingTime) {
        if (openedAt == Long.MIN_VALUE) {
            openedAt = processingTime;
        }
    }

    private static long ceilToSecond(long ms) {
        return Math.floorDiv(ms + 999, 1000) * 1000;
    }
}
