package io.frameflow.operators.inference;

import io.frameflow.operators.inference.layout.LayoutContext;
import io.frameflow.operators.inference.layout.OutputLayout;
import io.frameflow.operators.inference.layout.OutputLayout.Recognition;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Applies a format to a loaded model: checks the one image input every layout needs, picks the
 * layout for {@code auto} by asking each {@link OutputLayout} in turn, and lets the layout check
 * the outputs and build the {@link ModelProfile}. Knows no format itself.
 */
public final class FormatResolver {

    /** Model input size when neither the model nor its metadata fixes one (YuNet). */
    public static final int DEFAULT_DYNAMIC_SIZE = 640;

    private static final Pattern IMGSZ = Pattern.compile("\\[?\\s*(\\d+)\\s*(?:,\\s*(\\d+))?");

    private FormatResolver() {}

    /**
     * @param labelsFile one label per line; empty = the model's metadata, else the layout's default
     */
    public static ModelProfile resolve(
            ModelSignature sig, ModelFormat requested, Optional<Path> labelsFile) {
        ModelFormat format = requested == ModelFormat.AUTO ? detect(sig) : requested;
        if (sig.inputs().size() != 1) {
            throw inputMismatch(sig, format, "exactly one image input [N, 3, H, W]");
        }
        String inputName = sig.inputs().keySet().iterator().next();
        long[] inShape = sig.inputs().get(inputName);
        int[] size = inputSize(sig);
        if (inShape.length != 4 || (inShape[1] != 3 && inShape[1] != -1)) {
            throw inputMismatch(sig, format, "an image input [N, 3, H, W]");
        }
        List<String> labels =
                labelsFile
                        .map(Labels::fromFile)
                        .orElseGet(() -> Labels.fromUltralyticsNames(sig.metadata().get("names")));
        LayoutContext model =
                new LayoutContext(sig, format, inputName, size[0], size[1], inShape[0] < 0, labels);
        return format.layout().profile(model);
    }

    /** The layout the model's declarations, else its shapes, make unambiguous; else an error. */
    static ModelFormat detect(ModelSignature sig) {
        int[] in = inputSize(sig);
        for (Recognition wanted : List.of(Recognition.DECLARED, Recognition.BY_SHAPE)) {
            for (ModelFormat f : ModelFormat.values()) {
                if (f != ModelFormat.AUTO && f.layout().recognize(sig, in[0], in[1]) == wanted) {
                    return f;
                }
            }
        }
        throw new ModelFormatException(
                "Cannot tell the output layout of "
                        + sig.file()
                        + " from its metadata and shapes ("
                        + sig.describe()
                        + "); pass --model-format "
                        + Arrays.stream(ModelFormat.values())
                                .filter(f -> f != ModelFormat.AUTO)
                                .map(ModelFormat::cliName)
                                .collect(Collectors.joining("|")));
    }

    /** Input width and height: the model's fixed size, else Ultralytics imgsz, else 640. */
    private static int[] inputSize(ModelSignature sig) {
        long[] s = sig.inputs().values().iterator().next();
        if (s.length == 4 && s[2] > 0 && s[3] > 0) {
            return new int[] {(int) s[3], (int) s[2]};
        }
        String imgsz = sig.metadata().get("imgsz");
        if (imgsz != null) {
            Matcher m = IMGSZ.matcher(imgsz);
            if (m.find()) {
                int h = Integer.parseInt(m.group(1));
                int w = m.group(2) != null ? Integer.parseInt(m.group(2)) : h;
                return new int[] {w, h};
            }
        }
        return new int[] {DEFAULT_DYNAMIC_SIZE, DEFAULT_DYNAMIC_SIZE};
    }

    private static ModelFormatException inputMismatch(
            ModelSignature sig, ModelFormat format, String expected) {
        return new LayoutContext(sig, format, "", 0, 0, false, List.of()).mismatch(expected);
    }
}
