package io.frameflow.operators.policy;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.metrics.CameraMetricGroups;
import io.frameflow.operators.settings.SettingsBroadcast;
import io.frameflow.operators.settings.SettingsLookup;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.records.settings.CameraSettings;
import io.frameflow.records.settings.CameraSettingsJson;
import io.frameflow.records.settings.SettingsException;
import io.frameflow.records.settings.SettingsUpdate;
import io.frameflow.records.wire.ImageInfo;
import io.frameflow.records.wire.ImageProbe;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Which of a camera's frames the detector runs on (its settings, docs/camera-settings.md); the
 * others skip it and go to {@link #CARRIED} as results with no detections, marked {@code
 * predicted}, and the tracker gives them its boxes ({@code TrackFunction}), in capture order with
 * the inferred frames. Every frame is still annotated, counted and windowed.
 *
 * <ul>
 *   <li>{@code inferEvery} n: one frame in n is inferred (DeepStream's {@code interval}), those
 *       whose seq plus the camera's {@linkplain CameraSettings#inferPhase phase} is a multiple of
 *       n, so that cameras started together do not all infer the same frame slot; the choice
 *       depends only on the camera and the seq, so it is the same after any restart; the skipped
 *       frames' boxes are the tracks' as the motion model predicts them ({@code model} {@value
 *       #PREDICTED_BY}).
 *   <li>{@code skipUnchanged} s: a frame whose {@linkplain Thumbnails thumbnail} differs from the
 *       last inferred frame's in less than that share of its pixels is not inferred, unless {@link
 *       CameraSettings#MAX_UNCHANGED_MS} have passed since (Frigate's motion gate). Nothing moved,
 *       so its boxes are the tracks' where the last inferred frame left them ({@code model} {@value
 *       #UNCHANGED}); counted in {@code frames_unchanged}. The reference thumbnail is keyed state,
 *       so a restore compares against the same frame.
 * </ul>
 *
 * Frames without a seq are always inferred. Settings are broadcast state (refused documents are
 * reported by {@code TrackFunction}, which reads the same stream; here they are ignored).
 */
public class InferEveryFunction
        extends KeyedBroadcastProcessFunction<String, Frame, SettingsUpdate, Frame> {

    private static final long serialVersionUID = 1L;

    /** Frames the detector skips, as results for capture order and the tracker. */
    public static final OutputTag<InferenceResult> CARRIED =
            new OutputTag<>("carried-frames", TypeInformation.of(InferenceResult.class));

    /**
     * What {@code model} says on a frame whose boxes the tracker predicted ({@code inferEvery}).
     */
    public static final String PREDICTED_BY = "tracker";

    /** What {@code model} says on a frame skipped as unchanged ({@code skipUnchanged}). */
    public static final String UNCHANGED = "unchanged";

    private final Map<String, byte[]> fromFile;
    private final List<String> models; // the job's, for checking documents; null = unchecked

    private transient SettingsLookup lookup;
    private transient CameraSettingsJson json;
    private transient Thumbnails thumbnails;
    private transient ValueState<byte[]> reference; // last inferred frame's thumbnail
    private transient ValueState<Long> referenceTs; // and its capture time
    private transient CameraMetricGroups<Counter> unchanged;

    /**
     * @param fromFile {@code --camera-config}'s documents by key, canonical JSON
     */
    public InferEveryFunction(Map<String, byte[]> fromFile) {
        this(fromFile, null);
    }

    /**
     * @param models the job's model names (a document naming another is refused, as {@code
     *     TrackFunction} refuses it); null = not checked
     */
    public InferEveryFunction(Map<String, byte[]> fromFile, List<String> models) {
        this.fromFile = new HashMap<>(fromFile);
        this.models = models == null ? null : List.copyOf(models);
    }

    @Override
    public void open(OpenContext openContext) {
        lookup = new SettingsLookup(fromFile);
        json = new CameraSettingsJson();
        thumbnails = new Thumbnails();
        reference =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "unchanged-reference",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        referenceTs =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("unchanged-reference-ts", Types.LONG));
        unchanged =
                new CameraMetricGroups<>(
                        getRuntimeContext().getMetricGroup().addGroup(FrameFlowMetrics.GROUP),
                        (group, shared) -> group.counter(FrameFlowMetrics.NAME_FRAMES_UNCHANGED));
    }

    @Override
    public void processElement(Frame frame, ReadOnlyContext ctx, Collector<Frame> out)
            throws Exception {
        if (frame.seq() < 0) {
            out.collect(frame);
            return;
        }
        CameraSettings settings =
                lookup.of(ctx.getBroadcastState(SettingsBroadcast.STATE), frame.camera());
        if (!settings.models().isEmpty()) {
            frame = frame.withModels(settings.models()); // the camera's choice of models
        }
        if (!settings.infers(frame.camera(), frame.seq())) {
            carry(frame, PREDICTED_BY, ctx, out);
            return;
        }
        if (settings.skipsUnchanged()) {
            byte[] thumbnail = thumbnails.of(frame.image());
            byte[] ref = reference.value();
            Long refTs = referenceTs.value();
            if (thumbnail != null
                    && ref != null
                    && refTs != null
                    && frame.captureTs() - refTs < CameraSettings.MAX_UNCHANGED_MS
                    && frame.captureTs() >= refTs
                    && Thumbnails.changed(ref, thumbnail) < settings.skipUnchanged()) {
                if (carry(frame, UNCHANGED, ctx, out)) {
                    unchanged.of(frame.camera()).inc();
                }
                return;
            }
            if (thumbnail != null) {
                reference.update(thumbnail);
                referenceTs.update(frame.captureTs());
            }
        } else if (reference.value() != null) {
            reference.clear(); // switched off: start afresh when switched on again
            referenceTs.clear();
        }
        out.collect(frame);
    }

    /**
     * Sends the frame around the detector as a result without detections, marked {@code predicted}
     * by {@code model}; a frame whose size cannot be read goes to the detector instead, which will
     * say what is wrong with it.
     *
     * @return whether it was carried
     */
    private static boolean carry(
            Frame frame, String model, ReadOnlyContext ctx, Collector<Frame> out) {
        // the frame's size from its header: the tracker's boxes and the zones need it
        ImageInfo info = ImageProbe.header(frame.image());
        if (info == null || info.width() <= 0 || info.height() <= 0) {
            out.collect(frame);
            return false;
        }
        ctx.output(
                CARRIED,
                new InferenceResult.Detected(
                        frame,
                        new FrameDetections(
                                frame.camera(),
                                frame.seq(),
                                frame.captureTs(),
                                (int) info.width(),
                                (int) info.height(),
                                model,
                                0,
                                List.of(),
                                true)));
        return true;
    }

    @Override
    public void processBroadcastElement(SettingsUpdate update, Context ctx, Collector<Frame> out)
            throws Exception {
        try {
            SettingsBroadcast.apply(
                    update, ctx.getBroadcastState(SettingsBroadcast.STATE), json, models);
        } catch (SettingsException e) {
            // refused: TrackFunction dead-letters and counts it once
        }
    }

    @Override
    public void close() throws Exception {
        if (thumbnails != null) {
            thumbnails.close();
        }
        super.close();
    }
}
