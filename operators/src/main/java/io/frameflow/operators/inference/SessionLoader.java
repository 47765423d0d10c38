package io.frameflow.operators.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an ORT session on the configured device. {@code auto} tries CUDA and falls back to fresh
 * CPU options with one warning; {@code cuda} fails with what is missing. {@code
 * getAvailableProviders()} is not consulted: the GPU jar lists CUDA even where it cannot load.
 */
public final class SessionLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLoader.class);

    /**
     * Models whose CUDA fallback this JVM has already warned about: every slot of a TaskManager
     * loads the model and would repeat the same line (a log-only set, not a shared resource).
     */
    private static final java.util.Set<String> FALLBACK_WARNED =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SessionLoader() {}

    /**
     * An open session and where it runs.
     *
     * @param device {@code cpu} or {@code cuda:N}
     * @param provider the ORT execution provider
     * @param fallbackWarning the warning logged when auto fell back to CPU, else null
     */
    public record LoadedSession(
            OrtSession session,
            String device,
            String provider,
            long loadMs,
            String fallbackWarning) {}

    /**
     * The model file's existence is checked once, at start-up, by {@link InferenceOptions}; here a
     * failure to load is explained (missing file or not a model), not re-checked up front.
     *
     * @throws IllegalArgumentException for a missing or unreadable model file
     * @throws IllegalStateException when {@code --device cuda} cannot run
     */
    public static LoadedSession load(DetectorSettings config, int subtaskIndex) {
        Path model = config.model();
        DeviceSpec device = config.device();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long start = System.nanoTime();
        if (device.kind() != DeviceSpec.Kind.CPU) {
            int gpu = device.cudaDevice(subtaskIndex);
            String failure;
            try {
                SessionOptions options = baseOptions(config, true);
                try {
                    options.addCUDA(gpu);
                    OrtSession session = env.createSession(model.toString(), options);
                    return new LoadedSession(
                            session, "cuda:" + gpu, "CUDAExecutionProvider", ms(start), null);
                } finally {
                    options.close();
                }
            } catch (OrtException e) {
                failure = e.getMessage();
            }
            if (unreadableModel(failure)) {
                throw new IllegalArgumentException(cannotLoad(model, failure));
            }
            if (device.kind() == DeviceSpec.Kind.CUDA) {
                throw new IllegalStateException(cudaMissing(config, gpu, failure));
            }
            String warning =
                    "--device auto: CUDA is not usable here ("
                            + firstLine(failure)
                            + "); falling back to CPU for "
                            + model.getFileName();
            if (firstFallback(model)) {
                LOG.warn(warning); // once per model and JVM, not once per slot
            } else {
                LOG.debug(warning);
            }
            return new LoadedSession(
                    createCpu(env, model, config),
                    "cpu",
                    "CPUExecutionProvider",
                    ms(start),
                    warning);
        }
        return new LoadedSession(
                createCpu(env, model, config), "cpu", "CPUExecutionProvider", ms(start), null);
    }

    /** Whether this is the JVM's first CUDA fallback for {@code model} (then it is logged). */
    static boolean firstFallback(Path model) {
        return FALLBACK_WARNED.add(model.toAbsolutePath().normalize().toString());
    }

    private static OrtSession createCpu(OrtEnvironment env, Path model, DetectorSettings config) {
        try (SessionOptions options = baseOptions(config, false)) {
            return env.createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException(cannotLoad(model, e.getMessage()), e);
        }
    }

    /** True when ONNX Runtime could not read the file as a model (as opposed to a device issue). */
    static boolean unreadableModel(String ortMessage) {
        return ortMessage != null
                && (ortMessage.contains("ORT_INVALID_PROTOBUF")
                        || ortMessage.contains("ORT_INVALID_GRAPH")
                        || ortMessage.contains("ORT_NO_SUCHFILE")
                        || ortMessage.contains("ModelProto"));
    }

    /** Why ONNX Runtime could not load the model: the file is missing, or it is not a model. */
    private static String cannotLoad(Path model, String ortMessage) {
        return Files.isRegularFile(model)
                ? notAModel(model, ortMessage)
                : InferenceOptions.missingModel(model);
    }

    /** What to do about a model file ONNX Runtime cannot load, without its C++ internals. */
    static String notAModel(Path model, String ortMessage) {
        long size;
        try {
            size = Files.size(model);
        } catch (java.io.IOException e) {
            size = -1;
        }
        return "Cannot load the model "
                + model.toAbsolutePath()
                + " ("
                + size
                + " bytes): it is not a valid ONNX model (corrupt, truncated, or not an ONNX file;"
                + " ONNX Runtime says: "
                + ortReason(ortMessage)
                + "). Re-download or re-export it (e.g. yolo export model=yolo11n.pt format=onnx),"
                + " compare its checksum, and pass the .onnx file with --model FILE.";
    }

    /** ORT's reason without the error-code prefix, the file path and C++ source locations. */
    static String ortReason(String message) {
        String m = firstLine(message);
        int failed = m.indexOf("failed:");
        if (failed >= 0) {
            m = m.substring(failed + "failed:".length()).trim();
        }
        // "/onnxruntime_src/.../model.cc:177 onnxruntime::Model::Model(...) ModelProto does not..."
        m = m.replaceFirst("^\\S+\\.(cc|h|cpp):\\d+ \\S*\\(.*?\\) ", "");
        return m.isEmpty() ? "unknown error" : m;
    }

    private static SessionOptions baseOptions(DetectorSettings config, boolean gpu)
            throws OrtException {
        SessionOptions o = new SessionOptions();
        try {
            // RFB-320 alone prints 244 harmless initializer warnings at the default level
            o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            o.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            o.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setIntraOpNumThreads(config.intraOpThreads(gpu));
            // detector graphs run sequentially: a second inter-op thread would only idle
            o.setInterOpNumThreads(1);
            // spin-waiting ORT threads burn the cores other slots and the decoders need
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.addConfigEntry("session.inter_op.allow_spinning", "0");
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    private static String cudaMissing(DetectorSettings config, int gpu, String failure) {
        String why = failure == null ? "unknown error" : firstLine(failure);
        String hint;
        if (failure != null && failure.contains("Failed to find CUDA shared provider")) {
            hint =
                    "this build has the CPU-only ONNX Runtime: build the job with -Pgpu"
                            + " (onnxruntime_gpu)";
        } else if (failure != null && failure.contains("cannot open shared object")) {
            hint = "CUDA 12 / cuDNN 9 libraries are missing from the library path";
        } else {
            hint =
                    "needs the onnxruntime_gpu build (-Pgpu), an NVIDIA GPU with its driver, and"
                            + " CUDA 12 + cuDNN 9 libraries on LD_LIBRARY_PATH";
        }
        return "--device "
                + config.device().cliValue()
                + ": cannot run "
                + config.model().getFileName()
                + " on CUDA device "
                + gpu
                + ": "
                + hint
                + ". ONNX Runtime said: "
                + why
                + ". Use --device cpu or --device auto to run on the CPU.";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s.trim() : s.substring(0, nl).trim();
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
