package io.frameflow.operators.annotate;

import io.frameflow.operators.config.OptionGroup;
import io.frameflow.operators.config.Problems;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** How annotated frames are drawn and encoded. */
public final class AnnotateOptions implements OptionGroup {

    public static final AnnotateOptions GROUP = new AnnotateOptions();

    public static final ConfigOption<Boolean> ANNOTATED_FRAMES =
            ConfigOptions.key("annotated-frames")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Draw every frame's detections and write it to the annotated topic"
                                    + " (what the viewer and recordings show). false for a"
                                    + " deployment that needs only detections, events and stats:"
                                    + " each frame then costs no JPEG decode, draw and encode and"
                                    + " no annotated record (docs/benchmarks.md: about 2 ms of CPU"
                                    + " a frame).");
    public static final ConfigOption<Integer> JPEG_QUALITY =
            ConfigOptions.key("jpeg-quality")
                    .intType()
                    .defaultValue(AnnotateFunction.DEFAULT_JPEG_QUALITY)
                    .withDescription("JPEG quality of annotated frames, 1..100.");
    public static final ConfigOption<Integer> ANNOTATED_MAX_WIDTH =
            ConfigOptions.key("annotated-max-width")
                    .intType()
                    .defaultValue(1280)
                    .withDescription(
                            "Widest annotated frame in pixels: larger frames are drawn scaled down"
                                    + " to between 3/4 of it and it (a JPEG decoded at 1/2, 1/4 or 1/8"
                                    + " scale where that suffices: a 1080p camera comes out 960 wide),"
                                    + " which keeps a 1080p or 4K camera's preview cheap to draw, send"
                                    + " and show. 0 keeps each frame's size.");

    public static final ConfigOption<Double> KEYPOINT_MIN_SCORE =
            ConfigOptions.key("keypoint-min-score")
                    .doubleType()
                    .defaultValue((double) FrameAnnotator.DEFAULT_KEYPOINT_MIN_SCORE)
                    .withDescription(
                            "Pose keypoints below this confidence (0..1) are not drawn on"
                                    + " annotated frames, nor the limbs that end in them;"
                                    + " frames.detections carries every keypoint with its"
                                    + " confidence.");

    private AnnotateOptions() {}

    @Override
    public String title() {
        return "Annotated frames";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return List.of(ANNOTATED_FRAMES, JPEG_QUALITY, ANNOTATED_MAX_WIDTH, KEYPOINT_MIN_SCORE);
    }

    @Override
    public void validate(ReadableConfig config, Problems problems) {
        int width = config.get(ANNOTATED_MAX_WIDTH);
        problems.check(
                width == 0 || width >= 2,
                "--annotated-max-width must be 0 (keep the size) or at least 2 pixels, got "
                        + width
                        + ".");
        double keypoints = config.get(KEYPOINT_MIN_SCORE);
        problems.check(
                keypoints >= 0 && keypoints <= 1,
                "--keypoint-min-score must be 0..1, got " + keypoints + ".");
        int quality = config.get(JPEG_QUALITY);
        problems.check(
                quality >= 1 && quality <= 100,
                "--jpeg-quality must be 1..100, got " + quality + ".");
    }
}
