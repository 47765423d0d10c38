package io.frameflow.job;

/**
 * FrameFlow's custom metrics as Flink's Prometheus reporter exports them (checked against a real
 * scrape by FrameFlowMetricsITCase; listed in docs/metrics.md for dashboards and alerts). Labels:
 * camera, reason, class, device, model, plus Flink's job_name, task_name, operator_name,
 * subtask_index, tm_id, host.
 */
public final class FrameFlowMetrics {

    private FrameFlowMetrics() {}

    public static final String PREFIX = "flink_taskmanager_job_task_operator_frameflow_";

    /** Counter, label camera: every frame that reaches the drop policy. */
    public static final String FRAMES_IN = PREFIX + "camera_frames_in";

    /**
     * Counter, labels camera, reason (max-age, max-fps): frames the drop policy discarded, and
     * (operator "Inference results", reason max-age) frames that aged out while queued for
     * inference. Sum over operators for the total.
     */
    public static final String FRAMES_DROPPED = PREFIX + "camera_reason_frames_dropped";

    /** Counter, label camera: frames inferred successfully. */
    public static final String FRAMES_INFERRED = PREFIX + "camera_frames_inferred";

    /** Counter, label reason: dead letters (source validation and failed inference). */
    public static final String DEAD_LETTERS = PREFIX + "reason_dead_letters";

    /** Gauge, labels camera, class: objects of that class in the camera's latest frame. */
    public static final String OBJECTS_CURRENT = PREFIX + "camera_class_objects_current";

    /** Summary (quantile label, _count, _sum is absent), label camera: capture to emit, ms. */
    public static final String LATENCY_MS = PREFIX + "camera_latency_ms";

    /** Summary, label camera: decode + preprocess + run + postprocess per frame, ms. */
    public static final String INFERENCE_MS = PREFIX + "camera_inference_ms";

    /** Summary: frames per ONNX Runtime run. */
    public static final String BATCH_SIZE = PREFIX + "batch_size";

    /** Gauge: frames queued or running in the inference operator. */
    public static final String INFLIGHT_REQUESTS = PREFIX + "inflight_requests";

    /** Gauge (1), labels device, model. */
    public static final String MODEL_INFO = PREFIX + "device_model_model_info";

    /** Gauge, labels device, model: time to load the model, ms. */
    public static final String MODEL_LOAD_MS = PREFIX + "device_model_model_load_ms";
}
