package io.frameflow.job;

import static io.frameflow.connectors.KafkaOptions.*;
import static io.frameflow.job.JobOptions.JOB_NAME;
import static io.frameflow.operators.inference.InferenceOptions.ASYNC_CAPACITY;
import static io.frameflow.operators.inference.InferenceOptions.ASYNC_TIMEOUT;
import static io.frameflow.operators.stats.WindowOptions.*;
import static io.frameflow.operators.time.EventTimeOptions.*;

import io.frameflow.connectors.source.SplitDeadLetters;
import io.frameflow.connectors.source.ValidatedRecord;
import io.frameflow.operators.face.FaceOptions;
import io.frameflow.operators.face.FaceRecognitionFunction;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.order.CaptureOrderFunction;
import io.frameflow.operators.order.RescaleSafeAsyncWait;
import io.frameflow.operators.order.ResultPosition;
import io.frameflow.operators.policy.DropEvent;
import io.frameflow.operators.policy.DropPolicy;
import io.frameflow.operators.policy.DropPolicyFunction;
import io.frameflow.operators.policy.DropPolicyOptions;
import io.frameflow.operators.policy.InferEveryFunction;
import io.frameflow.operators.secondary.ClassifierOptions;
import io.frameflow.operators.settings.SettingsBroadcast;
import io.frameflow.operators.stats.CameraClockWindows;
import io.frameflow.operators.stats.FrameSample;
import io.frameflow.operators.stats.LateSampleCounter;
import io.frameflow.operators.stats.SiteWindows;
import io.frameflow.operators.time.ArrivalWatermarks;
import io.frameflow.operators.track.TrackFunction;
import io.frameflow.operators.track.TrackOptions;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import io.frameflow.records.metrics.FrameFlowMetrics;
import io.frameflow.records.settings.SettingsUpdate;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FrameFlow job: frames from Kafka, validated, watermarked, sampled per camera by the drop
 * policy, run through the detector, and written out as detections, annotated frames, per-camera
 * window stats and dead letters.
 *
 * <p>{@link #main} only parses options; {@link #buildPipeline} wires the graph from any source and
 * sinks, so tests run the same graph.
 */
public final class FrameFlowJob {

    private static final Logger LOG = LoggerFactory.getLogger(FrameFlowJob.class);

    /**
     * Samples that arrived after their stats window fired; counted by {@link LateSampleCounter}.
     */
    public static final OutputTag<FrameSample> LATE_SAMPLES = CameraClockWindows.LATE;

    private final FrameFlowOptions options;
    private final AsyncFunction<Frame, InferenceResult> detector;

    public FrameFlowJob(FrameFlowOptions options, AsyncFunction<Frame, InferenceResult> detector) {
        this.options = options;
        this.detector = detector;
    }

    public static void main(String[] args) throws Exception {
        if (FrameFlowOptions.wantsHelp(args)) {
            System.out.println(FrameFlowOptions.help());
            return;
        }
        FrameFlowOptions options;
        DetectorSettings settings;
        try {
            options = FrameFlowOptions.fromArgs(args).validate();
            settings = InferenceStage.check(InferenceStage.settings(options));
            InferenceStage.checkOthers(options);
            checkSecondaryModels(options);
            // after the models: a bad model fails at once, without waiting for the cluster
            BrokerChecks.check(options);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println("Run with --help for all options.");
            throw e;
        }
        LOG.info("Starting FrameFlow with {}", options.asMap());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // the cluster's own settings win over the job's defaults (FlinkSettings)
        env.configure(FlinkSettings.over(options.given(), env.getConfiguration()));
        new FrameFlowJob(options, InferenceStage.function(settings, options)).buildPipeline(env);
        env.execute(options.get(JOB_NAME));
    }

    /**
     * The classifier and the face models checked on the client before anything waits for Kafka (the
     * pipeline checks them again as it wires them, for jobs built without {@link #main}).
     */
    private static void checkSecondaryModels(FrameFlowOptions options) {
        if (ClassifierOptions.enabled(options.config())) {
            ClassifierStage.check(options.config(), InferenceStage.allModels(options));
        }
        if (FaceOptions.enabled(options.config())) {
            FaceStage.check(
                    options.config(), FaceStage.faceModel(InferenceStage.allModels(options)));
        }
    }

    /** The job with the detector the options describe. */
    public static FrameFlowJob forOptions(FrameFlowOptions options) {
        return new FrameFlowJob(
                options, InferenceStage.function(InferenceStage.settings(options), options));
    }

    /** Wires the job between the Kafka topics the options name. */
    public void buildPipeline(StreamExecutionEnvironment env) {
        buildPipeline(
                env,
                KafkaIO.source(options),
                KafkaIO.settingsSource(options),
                KafkaIO.facesSource(options),
                KafkaIO.sinks(options));
    }

    /**
     * Flink settings for an environment with no configuration of its own (tests, the local run):
     * the job's defaults and whatever the options set. On a cluster, {@link #main} applies {@link
     * FlinkSettings#over} instead, so the cluster's settings win.
     */
    public static Configuration flinkConfiguration(FrameFlowOptions options) {
        return FlinkSettings.standalone(options.given());
    }

    /** Wires the job on {@code env}, with no settings topic (only {@code --camera-config}). */
    public void buildPipeline(
            StreamExecutionEnvironment env,
            Source<ValidatedRecord, ?, ?> source,
            PipelineSinks sinks) {
        buildPipeline(env, source, null, sinks);
    }

    /**
     * Wires the job on {@code env}.
     *
     * @param settingsSource the per-camera settings documents (the settings topic), or null for
     *     none
     */
    public void buildPipeline(
            StreamExecutionEnvironment env,
            Source<ValidatedRecord, ?, ?> source,
            Source<SettingsUpdate, ?, ?> settingsSource,
            PipelineSinks sinks) {
        buildPipeline(env, source, settingsSource, null, sinks);
    }

    /**
     * Wires the job on {@code env}.
     *
     * @param settingsSource the per-camera settings documents (the settings topic), or null for
     *     none
     * @param facesSource the face gallery's photos (the faces topic), or null for none (then only
     *     {@code --faces}); read only with face recognition on
     */
    public void buildPipeline(
            StreamExecutionEnvironment env,
            Source<ValidatedRecord, ?, ?> source,
            Source<SettingsUpdate, ?, ?> settingsSource,
            Source<SettingsUpdate, ?, ?> facesSource,
            PipelineSinks sinks) {
        // Flink time = when a frame was read, watermark = the wall clock: it proves how far the
        // job has read and nothing more; each camera's capture-time clock lives in the stats
        // windows (CameraClockWindows), so no camera's clock or backlog can make another late
        DataStream<ValidatedRecord> records =
                env.fromSource(
                                source,
                                new ArrivalWatermarks<>(),
                                "Kafka: " + options.get(TOPIC_FRAMES))
                        .uid(OperatorUids.SOURCE);

        SingleOutputStreamOperator<Frame> frames =
                records.process(new SplitDeadLetters())
                        .uid(OperatorUids.VALIDATE)
                        .name("Validate frames");
        DataStream<DeadLetter> rejected = frames.getSideOutput(SplitDeadLetters.DEAD_LETTERS);

        DropPolicy policy = DropPolicyOptions.policy(options.config());
        SingleOutputStreamOperator<Frame> kept =
                frames.keyBy(Frame::camera)
                        .process(new DropPolicyFunction(policy))
                        .uid(OperatorUids.DROP_POLICY)
                        .name(FrameFlowMetrics.OPERATOR_DROP_POLICY);
        DataStream<DropEvent> drops = kept.getSideOutput(DropPolicyFunction.DROPS);

        DataStream<SettingsUpdate> settings =
                CompactedTopicStream.of(
                        env,
                        settingsSource,
                        records,
                        TOPIC_CONFIG.key(),
                        options.get(TOPIC_CONFIG),
                        OperatorUids.SOURCE_SETTINGS);
        // read once: the operators before and after inference see the same documents
        Map<String, byte[]> cameraConfig =
                InferenceStage.checkModels(TrackOptions.cameraConfig(options.config()), options);
        // a camera's inferEvery: the frames the detector skips go around it, to the tracker
        // still partitioned by camera after the drop policy: keyed again without a shuffle
        SingleOutputStreamOperator<Frame> toInfer =
                DataStreamUtils.reinterpretAsKeyedStream(kept, Frame::camera, Types.STRING)
                        .connect(settings.broadcast(SettingsBroadcast.STATE))
                        .process(new InferEveryFunction(cameraConfig, options.modelNames()))
                        .uid(OperatorUids.INFER_EVERY)
                        .name("Frames to infer (inferEvery)");
        DataStream<InferenceResult> carried = toInfer.getSideOutput(InferEveryFunction.CARRIED);

        // Inference is where the time goes and it needs no per-camera state: spread the kept
        // frames round-robin over every detect slot, so one busy camera (or a skewed hash of a
        // few cameras) uses all slots instead of the one its key lands on.
        DataStream<Frame> toDetect = toInfer.rebalance();
        // Flink's unordered async wait, but without the watermarks it would replay from a
        // checkpoint: after a rescale they could overtake frames in flight (RescaleSafeAsyncWait)
        DataStream<InferenceResult> detected =
                RescaleSafeAsyncWait.unordered(
                                toDetect,
                                detector,
                                options.get(ASYNC_TIMEOUT),
                                options.get(ASYNC_CAPACITY),
                                TypeInformation.of(InferenceResult.class))
                        .uid(OperatorUids.DETECT)
                        .name("Detect objects");
        // inference reordered each camera's frames: every outcome (inferred, failed, aged out)
        // goes back into capture order, so nothing after this (annotated frames, recordings, the
        // viewer, the tracker) sees a camera step back, and a frame that failed or aged out
        // still takes its turn instead of leaving a gap its camera must wait out
        // the drop policy's drops join as placeholders: a camera whose frames are sampled
        // (--max-fps) or shed (--max-frame-age-ms) never waits for frames that will not come
        DataStream<InferenceResult> placeholders =
                drops.map(drop -> (InferenceResult) InferenceResult.Skipped.of(drop))
                        .returns(TypeInformation.of(InferenceResult.class))
                        .name("Dropped frames' places");
        DataStream<InferenceResult> ordered =
                detected.union(placeholders, carried)
                        .keyBy(r -> r.frame().camera(), Types.STRING)
                        .process(
                                new CaptureOrderFunction<>(
                                        TypeInformation.of(InferenceResult.class),
                                        new ResultPosition()))
                        .uid(OperatorUids.CAPTURE_ORDER)
                        .name("Capture order per camera");
        SingleOutputStreamOperator<InferenceResult.Detected> inferred =
                ordered.process(new InferenceResults())
                        .uid(OperatorUids.RESULTS)
                        .name(FrameFlowMetrics.OPERATOR_INFERENCE_RESULTS);
        DataStream<DeadLetter> failed = inferred.getSideOutput(InferenceResults.FAILED);
        SingleOutputStreamOperator<InferenceResult.Detected> tracked =
                track(inferred, settings, cameraConfig);
        // classified before faces are named: its classes are the detectors' labels
        SingleOutputStreamOperator<InferenceResult.Detected> classified =
                ClassifierOptions.enabled(options.config())
                        ? ClassifierStage.classify(
                                tracked, options.config(), InferenceStage.allModels(options))
                        : tracked;
        SingleOutputStreamOperator<InferenceResult.Detected> results =
                FaceOptions.enabled(options.config())
                        ? FaceStage.recognise(
                                classified,
                                CompactedTopicStream.of(
                                        env,
                                        facesSource,
                                        records,
                                        TOPIC_FACES.key(),
                                        options.get(TOPIC_FACES),
                                        OperatorUids.SOURCE_FACES),
                                options.config(),
                                InferenceStage.allModels(options))
                        : classified;
        // frames that aged past --max-frame-age-ms while queued for inference (see
        // InferenceFunction)
        DataStream<DropEvent> agedInQueue = inferred.getSideOutput(InferenceResults.DROPPED);

        results.map(InferenceResult.Detected::detections)
                .returns(FrameDetections.class)
                .name("Detections")
                .sinkTo(sinks.detections())
                .uid(OperatorUids.SINK_DETECTIONS)
                .name("Kafka: " + options.get(TOPIC_DETECTIONS));

        DataStream<DeadLetter> undrawable =
                AnnotateStage.annotate(results, sinks, options.config());

        DataStream<FrameSample> samples =
                tracked.getSideOutput(TrackFunction.FRAME_SAMPLES)
                        .union(
                                drops.union(agedInQueue)
                                        .map(FrameSample::dropped)
                                        .returns(FrameSample.class)
                                        .name("Drop samples"));
        SingleOutputStreamOperator<WindowStats> stats =
                windowStats(
                        samples,
                        new CameraClockWindows(
                                options.get(WINDOW_SIZE),
                                options.get(ALLOWED_LATENESS),
                                options.get(OUT_OF_ORDERNESS),
                                options.get(CLOSE_WINDOWS_AFTER)));
        stats.sinkTo(sinks.stats())
                .uid(OperatorUids.SINK_STATS)
                .name("Kafka: " + options.get(TOPIC_STATS));
        stats.filter(s -> s.scene().site() != null)
                .name("Cameras with a site")
                .keyBy(s -> s.scene().site())
                .process(new SiteWindows(options.get(SITE_LATENESS)))
                .uid(OperatorUids.SITE_WINDOWS)
                .name("Site totals per window")
                .sinkTo(sinks.sites())
                .uid(OperatorUids.SINK_SITES)
                .name("Kafka: " + options.get(TOPIC_SITES));
        stats.getSideOutput(LATE_SAMPLES)
                .process(new LateSampleCounter())
                .uid(OperatorUids.LATE_SAMPLES)
                .name("Count late frames")
                .sinkTo(new DiscardingSink<>())
                .uid(OperatorUids.LATE_SAMPLES_DISCARD)
                .name("Discard");

        tracked.getSideOutput(TrackFunction.EVENTS)
                .sinkTo(sinks.events())
                .uid(OperatorUids.SINK_EVENTS)
                .name("Kafka: " + options.get(TOPIC_EVENTS));

        DataStream<DeadLetter> deadLetters =
                rejected.union(
                        failed,
                        tracked.getSideOutput(TrackFunction.REFUSED),
                        results.getSideOutput(FaceRecognitionFunction.REFUSED));
        (undrawable == null ? deadLetters : deadLetters.union(undrawable))
                .sinkTo(sinks.deadLetters())
                .uid(OperatorUids.SINK_DLQ)
                .name("Kafka: " + options.get(TOPIC_DLQ));
    }

    /**
     * Each camera's settings and tracker over its frames, in capture order (the stream is still
     * partitioned by camera after {@code CaptureOrderFunction}: no shuffle); the settings documents
     * arrive as broadcast state.
     */
    private SingleOutputStreamOperator<InferenceResult.Detected> track(
            SingleOutputStreamOperator<InferenceResult.Detected> ordered,
            DataStream<SettingsUpdate> settings,
            Map<String, byte[]> cameraConfig) {
        return DataStreamUtils.reinterpretAsKeyedStream(
                        ordered, d -> d.frame().camera(), Types.STRING)
                .connect(settings.broadcast(TrackFunction.SETTINGS))
                .process(
                        new TrackFunction(
                                TrackOptions.settings(options.config()),
                                options.get(TrackOptions.TRACKING),
                                cameraConfig,
                                options.get(CLOSE_WINDOWS_AFTER),
                                options.modelNames()))
                .uid(OperatorUids.TRACK)
                .name("Camera settings and tracking");
    }

    /**
     * Per-camera tumbling windows of frame samples (inferred and dropped frames) into {@link
     * WindowStats}, each camera on its own capture-time clock ({@link CameraClockWindows}); late
     * samples go to {@link #LATE_SAMPLES}.
     */
    static SingleOutputStreamOperator<WindowStats> windowStats(
            DataStream<FrameSample> samples, CameraClockWindows windows) {
        return samples.keyBy(FrameSample::camera)
                .process(windows)
                .uid(OperatorUids.WINDOW_STATS)
                .name("Window stats per camera");
    }
}
