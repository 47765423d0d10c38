package io.frameflow.operators.secondary;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.frameflow.operators.inference.DetectorSettings;
import io.frameflow.operators.inference.ModelSignature;
import io.frameflow.operators.inference.SessionLoader;
import java.nio.file.Path;

/**
 * How a model on crops (a classifier, a face embedder) is loaded: on the CPU with one thread, since
 * it runs once per track rather than per frame and must take neither a GPU nor the detector's
 * threads; its shapes are checked by the caller, and the session is closed when they do not fit.
 */
public final class CropModelSession {

    private CropModelSession() {}

    /** Builds the model's user from its session and signature; throws when the shapes are wrong. */
    public interface Checked<T> {
        T build(OrtSession session, ModelSignature signature) throws OrtException;
    }

    /**
     * @param what the model's role, for messages ("Classifier", "Face embedder")
     * @throws IllegalArgumentException for a missing or unreadable file, or what {@code build}
     *     throws (a {@code ModelFormatException} for the wrong shapes)
     */
    public static <T> T open(Path file, String what, Checked<T> build) {
        OrtSession session =
                SessionLoader.load(
                                DetectorSettings.forModel(file).device("cpu").threads(1, 1).build(),
                                0)
                        .session();
        try {
            return build.build(session, ModelSignature.of(file.getFileName().toString(), session));
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the shape error is the one to report
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalArgumentException(what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** A model's name: its file name without {@code .onnx}. */
    public static String nameOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
    }
}
