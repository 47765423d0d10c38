package io.frameflow.records.metrics;

import java.util.List;

/**
 * FrameFlow's custom metrics: the one contract the code registers them by, the dashboards' and
 * alerts' tests check against, and docs/metrics.md lists. Every metric is registered in {@code
 * open()} under the operator group {@link #GROUP}; key/value groups become labels, and Flink's
 * Prometheus reporter exports {@code <PREFIX><label keys>_<name>}: e.g. {@code frameflow / camera=x
 * / frames_in} is {@link #FRAMES_IN}. Plus Flink's labels job_name, task_name, operator_name,
 * subtask_index, tm_id, host.
 */
public final class FrameFlowMetrics {

    private FrameFlowMetrics() {}

    /** The operator metric group every FrameFlow metric lives under. */
    public static final String GROUP = "frameflow";

    /**
     * Names of the operators whose metrics dashboards select by {@code operator_name} (the reporter
     * exports them with every character outside [a-zA-Z0-9:_] as '_').
     */
    public static final String OPERATOR_DROP_POLICY = "Drop policy per camera";

    public static final String OPERATOR_INFERENCE_RESULTS = "Inference results";

    public static final List<String> OPERATORS =
            List.of(OPERATOR_DROP_POLICY, OPERATOR_INFERENCE_RESULTS);

    /** Label keys (key/value metric groups). */
    public static final String CAMERA = "camera";

    public static final String REASON = "reason";
    public static final String CLASS = "class";
    public static final String DEVICE = "device";
    public static final String MODEL = "model";
    public static final String LINE = "line";
    public static final String ZONE = "zone";
    public static final String DIRECTION = "direction";
    public static final String SITE = "site";

    /**
     * Cameras per operator subtask with metric groups of their own; every further camera is counted
     * under {@link #OTHER_CAMERAS}.
     */
    public static final int MAX_CAMERAS_WITH_METRICS = 1000;

    /**
     * The {@code camera} label of the shared group of cameras beyond {@link
     * #MAX_CAMERAS_WITH_METRICS} (no camera id starts with '_').
     */
    public static final String OTHER_CAMERAS = "_other";

    /**
     * A camera without frames for this long reads 0 in {@code objects_current}, instead of its last
     * frame's count forever.
     */
    public static final long OBJECTS_CURRENT_STALE_MS = 30_000;

    /**
     * A camera without frames for this long has its metric group removed on that subtask (its
     * series leave the scrape; its counters start from 0 if it comes back, which {@code rate()}
     * treats as a counter reset), freeing its place under {@link #MAX_CAMERAS_WITH_METRICS}.
     */
    public static final long CAMERA_METRICS_RETIRE_MS = 10 * 60_000;

    /** Metric names as registered (the last part of the exported name). */
    public static final String NAME_FRAMES_IN = "frames_in";

    public static final String NAME_FRAMES_DROPPED = "frames_dropped";
    public static final String NAME_FRAMES_INFERRED = "frames_inferred";
    public static final String NAME_FRAMES_UNCHANGED = "frames_unchanged";
    public static final String NAME_FRAMES_LATE = "frames_late";
    public static final String NAME_DEAD_LETTERS = "dead_letters";
    public static final String NAME_OBJECTS_CURRENT = "objects_current";
    public static final String NAME_LATENCY_MS = "latency_ms";
    public static final String NAME_INFERENCE_MS = "inference_ms";
    public static final String NAME_BATCH_SIZE = "batch_size";
    public static final String NAME_INFLIGHT_REQUESTS = "inflight_requests";
    public static final String NAME_MODEL_INFO = "model_info";
    public static final String NAME_MODEL_LOAD_MS = "model_load_ms";
    public static final String NAME_MODEL_RELOAD_FAILURES = "model_reload_failures";
    public static final String NAME_CROPS_CLASSIFIED = "crops_classified";
    public static final String NAME_LINE_CROSSINGS = "line_crossings";
    public static final String NAME_ZONE_ENTRIES = "zone_entries";
    public static final String NAME_ZONE_LOITERS = "zone_loiters";
    public static final String NAME_ZONE_OCCUPANCY = "zone_occupancy";
    public static final String NAME_TRACK_STATE_BYTES = "track_state_bytes";
    public static final String NAME_LATE_SITE_WINDOWS = "late_site_windows";
    public static final String NAME_SITE_CROSSINGS = "site_crossings";
    public static final String NAME_SITE_ZONE_ENTRIES = "site_zone_entries";
    public static final String NAME_SITE_OCCUPANCY = "site_occupancy";
    public static final String NAME_SITE_CAMERAS = "site_cameras";

    /** What Flink's Prometheus reporter puts before an operator metric's groups. */
    public static final String PREFIX = "flink_taskmanager_job_task_operator_" + GROUP + "_";

    /** Counter, label camera: every frame that reaches the drop policy. */
    public static final String FRAMES_IN = exported(NAME_FRAMES_IN, CAMERA);

    /**
     * Counter, labels camera, reason (max-age, max-fps): frames the drop policy discarded, and
     * (operator "Inference results", reason max-age) frames that aged out while queued for
     * inference. Sum over operators for the total.
     */
    public static final String FRAMES_DROPPED = exported(NAME_FRAMES_DROPPED, CAMERA, REASON);

    /** Counter, label camera: frames inferred successfully. */
    public static final String FRAMES_INFERRED = exported(NAME_FRAMES_INFERRED, CAMERA);

    /**
     * Counter, label camera: frames the detector skipped because they did not change (the camera's
     * {@code skipUnchanged}).
     */
    public static final String FRAMES_UNCHANGED = exported(NAME_FRAMES_UNCHANGED, CAMERA);

    /** Counter, label camera: frames that reached their stats window after it fired. */
    public static final String FRAMES_LATE = exported(NAME_FRAMES_LATE, CAMERA);

    /** Counter, label reason: dead letters (source validation and failed inference). */
    public static final String DEAD_LETTERS = exported(NAME_DEAD_LETTERS, REASON);

    /** Gauge, labels camera, class: objects of that class in the camera's latest frame. */
    public static final String OBJECTS_CURRENT = exported(NAME_OBJECTS_CURRENT, CAMERA, CLASS);

    /** Summary (quantile label, _count, _sum is absent), label camera: capture to emit, ms. */
    public static final String LATENCY_MS = exported(NAME_LATENCY_MS, CAMERA);

    /** Summary, label camera: decode + preprocess + run + postprocess per frame, ms. */
    public static final String INFERENCE_MS = exported(NAME_INFERENCE_MS, CAMERA);

    /** Summary: frames per ONNX Runtime run. */
    public static final String BATCH_SIZE = exported(NAME_BATCH_SIZE);

    /** Gauge: frames queued or running in the inference operator. */
    public static final String INFLIGHT_REQUESTS = exported(NAME_INFLIGHT_REQUESTS);

    /** Gauge (1), labels device, model. */
    public static final String MODEL_INFO = exported(NAME_MODEL_INFO, DEVICE, MODEL);

    /** Gauge, labels device, model: time to load the model, ms. */
    public static final String MODEL_LOAD_MS = exported(NAME_MODEL_LOAD_MS, DEVICE, MODEL);

    /**
     * Counter, labels device, model (name@version running): replacements of that model's file that
     * did not load while the job ran; the running version stayed.
     */
    public static final String MODEL_RELOAD_FAILURES =
            exported(NAME_MODEL_RELOAD_FAILURES, DEVICE, MODEL);

    /**
     * Counter, labels device (cpu), model (name@version): detection crops a classifier ran on
     * ({@code --classifier}: once per track, again as its box grows or time passes).
     */
    public static final String CROPS_CLASSIFIED = exported(NAME_CROPS_CLASSIFIED, DEVICE, MODEL);

    /** Counter, labels camera, line, direction (in, out): line crossings (docs/events.md). */
    public static final String LINE_CROSSINGS =
            exported(NAME_LINE_CROSSINGS, CAMERA, LINE, DIRECTION);

    /** Counter, labels camera, zone: zone visits begun. */
    public static final String ZONE_ENTRIES = exported(NAME_ZONE_ENTRIES, CAMERA, ZONE);

    /** Counter, labels camera, zone: visits that reached the zone's loiterSeconds. */
    public static final String ZONE_LOITERS = exported(NAME_ZONE_LOITERS, CAMERA, ZONE);

    /** Gauge, labels camera, zone: tracks in the zone after the camera's latest frame. */
    public static final String ZONE_OCCUPANCY = exported(NAME_ZONE_OCCUPANCY, CAMERA, ZONE);

    /** Gauge, label camera: bytes of the camera's tracker and scene state after its last frame. */
    public static final String TRACK_STATE_BYTES = exported(NAME_TRACK_STATE_BYTES, CAMERA);

    /** Counter: camera windows that reached their site window after it was done. */
    public static final String LATE_SITE_WINDOWS = exported(NAME_LATE_SITE_WINDOWS);

    /**
     * Counter, labels site, direction: line crossings of the site's cameras, as {@code
     * frames.sites} adds them up (a window's revisions add only what they changed).
     */
    public static final String SITE_CROSSINGS = exported(NAME_SITE_CROSSINGS, SITE, DIRECTION);

    /** Counter, label site: zone visits begun on the site's cameras, as {@code frames.sites}. */
    public static final String SITE_ZONE_ENTRIES = exported(NAME_SITE_ZONE_ENTRIES, SITE);

    /** Gauge, label site: the site's zone occupancy, averaged over its newest window. */
    public static final String SITE_OCCUPANCY = exported(NAME_SITE_OCCUPANCY, SITE);

    /** Gauge, label site: cameras in the site's newest window. */
    public static final String SITE_CAMERAS = exported(NAME_SITE_CAMERAS, SITE);

    /** Every exported name above. */
    public static final List<String> ALL =
            List.of(
                    FRAMES_IN,
                    FRAMES_DROPPED,
                    FRAMES_INFERRED,
                    FRAMES_UNCHANGED,
                    FRAMES_LATE,
                    DEAD_LETTERS,
                    OBJECTS_CURRENT,
                    LATENCY_MS,
                    INFERENCE_MS,
                    BATCH_SIZE,
                    INFLIGHT_REQUESTS,
                    MODEL_INFO,
                    MODEL_LOAD_MS,
                    MODEL_RELOAD_FAILURES,
                    CROPS_CLASSIFIED,
                    LINE_CROSSINGS,
                    ZONE_ENTRIES,
                    ZONE_LOITERS,
                    ZONE_OCCUPANCY,
                    TRACK_STATE_BYTES,
                    LATE_SITE_WINDOWS,
                    SITE_CROSSINGS,
                    SITE_ZONE_ENTRIES,
                    SITE_OCCUPANCY,
                    SITE_CAMERAS);

    private static String exported(String name, String... labelKeys) {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (String key : labelKeys) {
            sb.append(key).append('_');
        }
        return sb.append(name).toString();
    }
}
