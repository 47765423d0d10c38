package io.frameflow.job;

import java.util.List;

/**
 * The job's operator uids: the names savepoints map state by, so they never change once released (a
 * renamed uid strands its state). docs/job.md lists them; {@code OperatorUidsTest} keeps the two in
 * step.
 */
public final class OperatorUids {

    private OperatorUids() {}

    public static final String SOURCE = "source-frames";
    public static final String SOURCE_SETTINGS = "source-settings";
    public static final String VALIDATE = "validate-frames";
    public static final String DROP_POLICY = "drop-policy";
    public static final String DETECT = "detect";
    public static final String RESULTS = "inference-results";
    public static final String CAPTURE_ORDER = "capture-order";
    public static final String TRACK = "track";
    public static final String ANNOTATE = "annotate";
    public static final String WINDOW_STATS = "camera-clock-windows";
    public static final String LATE_SAMPLES = "late-samples";
    public static final String LATE_SAMPLES_DISCARD = "late-samples-discard";
    public static final String SINK_DETECTIONS = "sink-detections";
    public static final String SINK_ANNOTATED = "sink-annotated";
    public static final String SINK_STATS = "sink-stats";
    public static final String SINK_EVENTS = "sink-events";
    public static final String INFER_EVERY = "infer-every";
    public static final String SITE_WINDOWS = "site-windows";
    public static final String SINK_SITES = "sink-sites";
    public static final String SINK_DLQ = "sink-dlq";
    public static final String SOURCE_FACES = "source-faces";
    public static final String FACE_RECOGNITION = "face-recognition";
    public static final String CLASSIFY_CROPS = "classify-crops";

    public static final List<String> ALL =
            List.of(
                    SOURCE,
                    SOURCE_SETTINGS,
                    VALIDATE,
                    DROP_POLICY,
                    DETECT,
                    RESULTS,
                    CAPTURE_ORDER,
                    TRACK,
                    ANNOTATE,
                    WINDOW_STATS,
                    LATE_SAMPLES,
                    LATE_SAMPLES_DISCARD,
                    SINK_DETECTIONS,
                    SINK_ANNOTATED,
                    SINK_STATS,
                    SINK_EVENTS,
                    INFER_EVERY,
                    SITE_WINDOWS,
                    SINK_SITES,
                    SINK_DLQ,
                    SOURCE_FACES,
                    FACE_RECOGNITION,
                    CLASSIFY_CROPS);
}
