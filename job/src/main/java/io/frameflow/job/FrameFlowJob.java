package io.frameflow.job;

import static io.frameflow.job.FrameFlowOptions.*;

import io.frameflow.connectors.source.SplitDeadLetters;
import io.frameflow.connectors.source.ValidatedRecord;
import io.frameflow.operators.annotate.AnnotateFunction;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.InferenceResult;
import io.frameflow.operators.policy.DropEvent;
import io.frameflow.operators.policy.DropPolicy;
import io.frameflow.operators.policy.DropPolicyFunction;
import io.frameflow.operators.stats.CameraWindows;
import io.frameflow.operators.stats.FrameSample;
import io.frameflow.operators.stats.LateSampleCounter;
import io.frameflow.operators.time.WallClockCappedWatermarks;
import io.frameflow.records.AnnotatedFrame;
import io.frameflow.records.DeadLetter;
import io.frameflow.records.Frame;
import io.frameflow.records.FrameDetections;
import io.frameflow.records.WindowStats;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
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

    /** Operator uids: stable across versions so savepoints keep mapping to state. */
    public static final String UID_SOURCE = "source-frames";

    public static final String UID_VALIDATE = "validate-frames";
    public static final String UID_DROP_POLICY = "drop-policy";
    public static final String UID_DETECT = "detect";
    public static final String UID_RESULTS = "inference-results";
    public static final String UID_ANNOTATE = "annotate";

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
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println("Run with --help for all options.");
            throw e;
        }
        LOG.info("Starting FrameFlow with {}", options.asMap());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(options));
        new FrameFlowJob(options, InferenceStage.function(settings, options)).buildPipeline(env);
        env.execute(options.get(JOB_NAME));
    }

    /** The job with the detector the options describe. */
    public static FrameFlowJob forOptions(FrameFlowOptions options) {
        return new FrameFlowJob(
                options, InferenceStage.function(InferenceStage.settings(options), options));
    }

    /** Wires the job between the Kafka topics the options name. */
    public void buildPipeline(StreamExecutionEnvironment env) {
        buildPipeline(env, KafkaIO.source(options), KafkaIO.sinks(options));
    }

    /** Flink settings the job relies on: checkpointing, no Kryo fallback, parallelism. */
    public static Configuration flinkConfiguration(FrameFlowOptions options) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // records are immutable Java records and no function keeps its input: chained operators
        // may share them instead of deep-copying every frame's bytes at each hop
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.NAME, options.get(JOB_NAME));
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, options.get(BUFFER_TIMEOUT));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.get(CHECKPOINT_INTERVAL));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        options.getOptional(PARALLELISM)
                .ifPresent(
                        p ->
                                conf.set(
                                        org.apache.flink.configuration.CoreOptions
                                                .DEFAULT_PARALLELISM,
                                        p));
        return conf;
    }

    /** Wires the job on {@code env}. */
    public void buildPipeline(
            StreamExecutionEnvironment env,
            Source<ValidatedRecord, ?, ?> source,
            PipelineSinks sinks) {
        // event time = the Kafka record timestamp (capture time), which the source assigns; the
        // watermark never runs ahead of the wall clock, so a camera with a fast clock cannot make
        // the other cameras of its partition late
        Duration outOfOrderness = options.get(OUT_OF_ORDERNESS);
        WatermarkStrategy<ValidatedRecord> watermarks =
                WatermarkStrategy.<ValidatedRecord>forGenerator(
                                ctx -> new WallClockCappedWatermarks<>(outOfOrderness))
                        .withIdleness(options.get(SOURCE_IDLENESS));
        DataStream<ValidatedRecord> records =
                env.fromSource(source, watermarks, "Kafka: " + options.get(TOPIC_FRAMES))
                        .uid(UID_SOURCE);

        SingleOutputStreamOperator<Frame> frames =
                records.process(new SplitDeadLetters()).uid(UID_VALIDATE).name("Validate frames");
        DataStream<DeadLetter> rejected = frames.getSideOutput(SplitDeadLetters.DEAD_LETTERS);

        DropPolicy policy =
                new DropPolicy(
                        options.get(MAX_FRAME_AGE_MS),
                        options.get(MAX_FPS),
                        options.get(CAMERA_IDLE_TIMEOUT).toMillis());
        SingleOutputStreamOperator<Frame> kept =
                frames.keyBy(Frame::camera)
                        .process(new DropPolicyFunction(policy))
                        .uid(UID_DROP_POLICY)
                        .name("Drop policy per camera");
        DataStream<DropEvent> drops = kept.getSideOutput(DropPolicyFunction.DROPS);

        // Inference is where the time goes and it needs no per-camera state: spread the kept
        // frames round-robin over every detect slot, so one busy camera (or a skewed hash of a
        // few cameras) uses all slots instead of the one its key lands on.
        DataStream<Frame> toDetect = kept.rebalance();
        DataStream<InferenceResult> detected =
                AsyncDataStream.unorderedWait(
                                toDetect,
                                detector,
                                options.get(ASYNC_TIMEOUT).toMillis(),
                                TimeUnit.MILLISECONDS,
                                options.get(ASYNC_CAPACITY))
                        .uid(UID_DETECT)
                        .name("Detect objects");
        SingleOutputStreamOperator<InferenceResult.Detected> inferred =
                detected.process(new InferenceResults()).uid(UID_RESULTS).name("Inference results");
        DataStream<DeadLetter> failed = inferred.getSideOutput(InferenceResults.FAILED);
        // frames that aged past --max-frame-age-ms while queued for inference (see
        // InferenceFunction)
        DataStream<DropEvent> agedInQueue = inferred.getSideOutput(InferenceResults.DROPPED);

        inferred.map(InferenceResult.Detected::detections)
                .returns(FrameDetections.class)
                .name("Detections")
                .sinkTo(sinks.detections())
                .uid("sink-detections")
                .name("Kafka: " + options.get(TOPIC_DETECTIONS));

        SingleOutputStreamOperator<AnnotatedFrame> annotated =
                inferred.process(
                                new AnnotateFunction(
                                        options.get(JPEG_QUALITY),
                                        options.get(ANNOTATED_MAX_WIDTH)))
                        .uid(UID_ANNOTATE)
                        .name("Annotate frames");
        annotated
                .sinkTo(sinks.annotated())
                .uid("sink-annotated")
                .name("Kafka: " + options.get(TOPIC_ANNOTATED));

        DataStream<FrameSample> samples =
                inferred.map(d -> FrameSample.inferred(d.detections(), System.currentTimeMillis()))
                        .returns(FrameSample.class)
                        .name("Frame samples")
                        .union(
                                drops.union(agedInQueue)
                                        .map(FrameSample::dropped)
                                        .returns(FrameSample.class)
                                        .name("Drop samples"));
        SingleOutputStreamOperator<WindowStats> stats =
                CameraWindows.stats(
                        samples, options.get(WINDOW_SIZE), options.get(ALLOWED_LATENESS));
        stats.sinkTo(sinks.stats()).uid("sink-stats").name("Kafka: " + options.get(TOPIC_STATS));
        stats.getSideOutput(CameraWindows.LATE_SAMPLES)
                .process(new LateSampleCounter())
                .uid("late-samples")
                .name("Count late frames")
                .sinkTo(new DiscardingSink<>())
                .uid("late-samples-discard")
                .name("Discard");

        rejected.union(failed, annotated.getSideOutput(AnnotateFunction.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters())
                .uid("sink-dlq")
                .name("Kafka: " + options.get(TOPIC_DLQ));
    }
}
