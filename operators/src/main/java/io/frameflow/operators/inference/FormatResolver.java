package io.frameflow.operators.inference;

import io.frameflow.operators.postprocess.FastestDetDecoder;
import io.frameflow.operators.postprocess.UltraFaceDecoder;
import io.frameflow.operators.postprocess.UltralyticsDecoder;
import io.frameflow.operators.postprocess.Yolov5Decoder;
import io.frameflow.operators.postprocess.YoloxDecoder;
import io.frameflow.operators.postprocess.YuNetDecoder;
import io.frameflow.operators.preprocess.PreprocessSpec;
import io.frameflow.operators.preprocess.ResizeMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the output layout of a model (for {@code --model-format auto}) and checks that the model's
 * inputs and outputs fit the layout, naming the file, the shapes found and the shapes expected when
 * they do not.
 */
public final class FormatResolver {

    private static final Pattern IMGSZ = Pattern.compile("\\[?\\s*(\\d+)\\s*(?:,\\s*(\\d+))?");

    private FormatResolver() {}

    public static ModelProfile resolve(ModelSignature sig, DetectorConfig config) {
        ModelFormat format =
                config.format() == ModelFormat.AUTO ? detect(sig, config) : config.format();
        return profile(sig, format, config);
    }

    /** The layout the model's metadata and shapes make unambiguous, else a start-up error. */
    static ModelFormat detect(ModelSignature sig, DetectorConfig config) {
        List<String> outs = sig.outputNames();
        if (outs.containsAll(YuNetDecoder.OUTPUTS)) {
            return ModelFormat.YUNET;
        }
        String task = sig.metadata().get("task");
        if (sig.metadata().containsKey("names")
                && (task != null || sig.metadata().containsKey("imgsz"))) {
            if (task != null && !task.equals("detect")) {
                throw new ModelFormatException(
                        sig.file()
                                + " is an Ultralytics '"
                                + task
                                + "' model; only 'detect' models are supported ("
                                + sig.describe()
                                + ")");
            }
            return ModelFormat.ULTRALYTICS;
        }
        int[] in = inputSize(sig, config, null);
        if (outs.size() == 2) {
            long[] a = sig.output(0);
            long[] b = sig.output(1);
            if (a.length == 3 && b.length == 3 && a[1] == b[1]) {
                if ((a[2] == 2 && b[2] == 4) || (a[2] == 4 && b[2] == 2)) {
                    return ModelFormat.ULTRAFACE;
                }
            }
        }
        if (outs.size() == 1) {
            long[] s = sig.output(0);
            if (s.length == 4
                    && s[1] >= 6
                    && s[2] > 0
                    && s[2] == in[1] / 16
                    && s[3] == in[0] / 16) {
                return ModelFormat.FASTESTDET;
            }
            if (s.length == 3 && in[0] > 0 && in[1] > 0) {
                long cells = YoloxDecoder.gridCells(in[0], in[1]);
                if (s[2] == cells && s[1] >= 5 && s[1] < s[2]) {
                    return ModelFormat.ULTRALYTICS;
                }
                if (s[1] == cells && s[2] >= 6) {
                    return ModelFormat.YOLOX;
                }
                if (s[1] == 3 * cells && s[2] >= 6) {
                    return ModelFormat.YOLOV5;
                }
            }
        }
        throw new ModelFormatException(
                "Cannot tell the output layout of "
                        + sig.file()
                        + " from its metadata and shapes ("
                        + sig.describe()
                        + "); pass --model-format ultralytics|yolov5|yolox|fastestdet|ultraface|yunet");
    }

    static ModelProfile profile(ModelSignature sig, ModelFormat format, DetectorConfig config) {
        if (sig.inputs().size() != 1) {
            throw mismatch(sig, format, "exactly one image input [N, 3, H, W]");
        }
        String inputName = sig.inputs().keySet().iterator().next();
        long[] inShape = sig.inputs().get(inputName);
        if (inShape.length != 4 || (inShape[1] != 3 && inShape[1] != -1)) {
            throw mismatch(sig, format, "an image input [N, 3, H, W]");
        }
        boolean dynamicBatch = inShape[0] < 0;
        int[] in = inputSize(sig, config, format);
        int w = in[0];
        int h = in[1];
        List<String> labels = labels(sig, config, format);
        switch (format) {
            case ULTRALYTICS:
                {
                    long[] s = single(sig, format, 3, "[1, 4+nc, N]");
                    int channels = (int) s[1];
                    int anchors = s[2] > 0 ? (int) s[2] : (int) YoloxDecoder.gridCells(w, h);
                    if (channels < 5 || channels > anchors) {
                        throw mismatch(sig, format, "[1, 4+nc, N] with 4+nc < N");
                    }
                    return new ModelProfile(
                            format,
                            inputName,
                            w,
                            h,
                            dynamicBatch,
                            PreprocessSpec.of(
                                    ResizeMode.LETTERBOX_CENTER, true, 1f / 255f, 0f, 114, true),
                            sig.outputNames(),
                            List.of(new long[] {channels, anchors}),
                            new UltralyticsDecoder(channels, anchors),
                            labelsFor(labels, channels - 4, sig, format));
                }
            case YOLOV5:
            case YOLOX:
                {
                    long[] s = single(sig, format, 3, "[1, N, 5+nc]");
                    int width = (int) s[2];
                    long cells = YoloxDecoder.gridCells(w, h);
                    int rows =
                            s[1] > 0
                                    ? (int) s[1]
                                    : (int) (format == ModelFormat.YOLOX ? cells : 3 * cells);
                    if (width < 6) {
                        throw mismatch(sig, format, "[1, N, 5+nc] rows");
                    }
                    if (format == ModelFormat.YOLOX && rows != cells) {
                        throw mismatch(
                                sig,
                                format,
                                "[1, "
                                        + cells
                                        + ", 5+nc] (one row per grid cell of strides 8/16/32 for a "
                                        + w
                                        + "x"
                                        + h
                                        + " input)");
                    }
                    boolean yolox = format == ModelFormat.YOLOX;
                    PreprocessSpec spec =
                            yolox
                                    ? PreprocessSpec.of(
                                            ResizeMode.LETTERBOX_TOP_LEFT, false, 1f, 0f, 114, true)
                                    : PreprocessSpec.of(
                                            ResizeMode.LETTERBOX_CENTER,
                                            true,
                                            1f / 255f,
                                            0f,
                                            114,
                                            true);
                    return new ModelProfile(
                            format,
                            inputName,
                            w,
                            h,
                            dynamicBatch,
                            spec,
                            sig.outputNames(),
                            List.of(new long[] {rows, width}),
                            yolox
                                    ? new YoloxDecoder(w, h, rows, width)
                                    : new Yolov5Decoder(rows, width),
                            labelsFor(labels, width - 5, sig, format));
                }
            case FASTESTDET:
                {
                    long[] s = single(sig, format, 4, "[1, 5+nc, G, G]");
                    if (s[1] < 6 || s[2] <= 0 || s[3] <= 0) {
                        throw mismatch(sig, format, "[1, 5+nc, H/16, W/16]");
                    }
                    return new ModelProfile(
                            format,
                            inputName,
                            w,
                            h,
                            dynamicBatch,
                            PreprocessSpec.of(ResizeMode.STRETCH, false, 1f / 255f, 0f, 0, true),
                            sig.outputNames(),
                            List.of(new long[] {s[1], s[2], s[3]}),
                            new FastestDetDecoder((int) s[1], (int) s[2], (int) s[3], w, h),
                            labelsFor(labels, (int) s[1] - 5, sig, format));
                }
            case ULTRAFACE:
                {
                    if (sig.outputs().size() != 2) {
                        throw mismatch(sig, format, "scores [1, N, 2] and boxes [1, N, 4]");
                    }
                    String scores = null;
                    String boxes = null;
                    for (String name : sig.outputNames()) {
                        long[] s = sig.outputs().get(name);
                        if (s.length == 3 && s[2] == 2) {
                            scores = name;
                        } else if (s.length == 3 && s[2] == 4) {
                            boxes = name;
                        }
                    }
                    if (scores == null
                            || boxes == null
                            || sig.outputs().get(scores)[1] != sig.outputs().get(boxes)[1]
                            || sig.outputs().get(scores)[1] <= 0) {
                        throw mismatch(sig, format, "scores [1, N, 2] and boxes [1, N, 4]");
                    }
                    int anchors = (int) sig.outputs().get(scores)[1];
                    return new ModelProfile(
                            format,
                            inputName,
                            w,
                            h,
                            dynamicBatch,
                            PreprocessSpec.of(
                                    ResizeMode.STRETCH, true, 1f / 128f, -127f / 128f, 0, true),
                            List.of(scores, boxes),
                            List.of(new long[] {anchors, 2}, new long[] {anchors, 4}),
                            new UltraFaceDecoder(anchors, w, h),
                            labels.isEmpty() ? List.of("face") : labels);
                }
            case YUNET:
                {
                    if (!sig.outputNames().containsAll(YuNetDecoder.OUTPUTS)) {
                        throw mismatch(
                                sig,
                                format,
                                "12 outputs named " + String.join(", ", YuNetDecoder.OUTPUTS));
                    }
                    if (w % 32 != 0 || h % 32 != 0) {
                        throw mismatch(sig, format, "an input size that is a multiple of 32");
                    }
                    List<long[]> shapes = new ArrayList<>();
                    int[] widths = {1, 1, 1, 1, 1, 1, 4, 4, 4, 10, 10, 10};
                    int[] strides = {8, 16, 32};
                    for (int i = 0; i < 12; i++) {
                        shapes.add(
                                new long[] {YuNetDecoder.cells(w, h, strides[i % 3]), widths[i]});
                    }
                    return new ModelProfile(
                            format,
                            inputName,
                            w,
                            h,
                            dynamicBatch,
                            PreprocessSpec.of(
                                    ResizeMode.LETTERBOX_TOP_LEFT, false, 1f, 0f, 0, false),
                            YuNetDecoder.OUTPUTS,
                            shapes,
                            new YuNetDecoder(w, h),
                            labels.isEmpty() ? List.of("face") : labels);
                }
            default:
                throw new IllegalArgumentException("format " + format + " cannot be resolved");
        }
    }

    /** Input width and height: the model's fixed size, else Ultralytics imgsz, else config. */
    private static int[] inputSize(ModelSignature sig, DetectorConfig config, ModelFormat format) {
        long[] s = sig.inputs().values().iterator().next();
        if (s.length == 4 && s[2] > 0 && s[3] > 0) {
            return new int[] {(int) s[3], (int) s[2]};
        }
        String imgsz = sig.metadata().get("imgsz");
        if (imgsz != null && config.inputWidth() == 0) {
            Matcher m = IMGSZ.matcher(imgsz);
            if (m.find()) {
                int hh = Integer.parseInt(m.group(1));
                int ww = m.group(2) != null ? Integer.parseInt(m.group(2)) : hh;
                return new int[] {ww, hh};
            }
        }
        int w = config.inputWidth() > 0 ? config.inputWidth() : DetectorConfig.DEFAULT_DYNAMIC_SIZE;
        int h =
                config.inputHeight() > 0
                        ? config.inputHeight()
                        : DetectorConfig.DEFAULT_DYNAMIC_SIZE;
        return new int[] {w, h};
    }

    private static long[] single(
            ModelSignature sig, ModelFormat format, int rank, String expected) {
        if (sig.outputs().size() != 1 || sig.output(0).length != rank) {
            throw mismatch(sig, format, "one output " + expected);
        }
        return sig.output(0);
    }

    private static List<String> labels(
            ModelSignature sig, DetectorConfig config, ModelFormat format) {
        if (config.labelsFile() != null) {
            return Labels.fromFile(Path.of(config.labelsFile()));
        }
        return Labels.fromUltralyticsNames(sig.metadata().get("names"));
    }

    private static List<String> labelsFor(
            List<String> labels, int classes, ModelSignature sig, ModelFormat format) {
        if (labels.isEmpty()) {
            return Labels.fallback(classes);
        }
        if (labels.size() < classes) {
            throw new ModelFormatException(
                    sig.file()
                            + " ("
                            + format.cliName()
                            + ") has "
                            + classes
                            + " classes but only "
                            + labels.size()
                            + " labels were given");
        }
        return labels;
    }

    private static ModelFormatException mismatch(
            ModelSignature sig, ModelFormat format, String expected) {
        return new ModelFormatException(
                "Model "
                        + sig.file()
                        + " does not fit --model-format "
                        + format.cliName()
                        + ": found "
                        + sig.describe()
                        + "; expected "
                        + expected);
    }
}
