package io.frameflow.operators.policy;

import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.settings.SettingsBroadcast;
import io.frameflow.operators.settings.SettingsLookup;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Each camera's {@code inferEvery} (its settings, docs/camera-settings.md): frames whose seq is a
 * multiple of it go on to the detector, the others skip it and go to {@link #CARRIED} as results
 * with no detections, marked {@code predicted}; the tracker fills in its predicted boxes ({@code
 * TrackFunction}), in capture order with the inferred frames. So a camera at {@code inferEvery} 3
 * costs a third of the inference, and still has every frame annotated, counted and windowed
 * (DeepStream's {@code interval}).
 *
 * <p>The choice depends only on the seq, so it is the same after any restart; a frame without a seq
 * is always inferred. Needs no keyed state: the settings are broadcast state (refused documents are
 * reported by {@code TrackFunction}, which reads the same stream; here they are ignored).
 */
public class InferEveryFunction extends BroadcastProcessFunction<Frame, SettingsUpdate, Frame> {

    private static final long serialVersionUID = 1L;

    /** Frames the detector skips, as results for capture order and the tracker. */
    public static final OutputTag<InferenceResult> CARRIED =
            new OutputTag<>("carried-frames", TypeInformation.of(InferenceResult.class));

    /** What {@code model} says on a frame whose boxes the tracker predicted. */
    public static final String PREDICTED_BY = "tracker";

    private final Map<String, byte[]> fromFile;

    private transient SettingsLookup lookup;
    private transient CameraSettingsJson json;

    /**
     * @param fromFile {@code --camera-config}'s documents by key, canonical JSON
     */
    public InferEveryFunction(Map<String, byte[]> fromFile) {
        this.fromFile = new HashMap<>(fromFile);
    }

    @Override
    public void open(OpenContext openContext) {
        lookup = new SettingsLookup(fromFile);
        json = new CameraSettingsJson();
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
        if (settings.infers(frame.seq())) {
            out.collect(frame);
            return;
        }
        // the frame's size from its header: the tracker's boxes and the zones need it
        ImageInfo info = ImageProbe.header(frame.image());
        if (info == null || info.width() <= 0 || info.height() <= 0) {
            out.collect(frame); // no size to predict in: the detector will say what is wrong
            return;
        }
        int width = (int) info.width();
        int height = (int) info.height();
        ctx.output(
                CARRIED,
                new InferenceResult.Detected(
                        frame,
                        new FrameDetections(
                                frame.camera(),
                                frame.seq(),
                                frame.captureTs(),
                                width,
                                height,
                                PREDICTED_BY,
                                0,
                                List.of(),
                                true)));
    }

    @Override
    public void processBroadcastElement(SettingsUpdate update, Context ctx, Collector<Frame> out)
            throws Exception {
        try {
            SettingsBroadcast.apply(update, ctx.getBroadcastState(SettingsBroadcast.STATE), json);
        } catch (SettingsException e) {
            // refused: TrackFunction dead-letters and counts it once
        }
    }
}
