package io.frameflow.operators.inference;

import java.io.File;
import java.io.Serializable;
import java.util.Locale;

/**
 * {@code --device auto|cpu|cuda[:N]}, parsed in one place ({@link #parse}) for the option check,
 * the settings and the session loader. Without an explicit index, a slot picks GPU {@code
 * subtaskIndex % visibleGpus} so parallel slots spread over the GPUs of a machine.
 *
 * @param kind auto, cpu or cuda
 * @param index explicit CUDA device, or -1
 */
public record DeviceSpec(Kind kind, int index) implements Serializable {

    public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, -1);
    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, -1);

    public enum Kind {
        AUTO,
        CPU,
        CUDA
    }

    /**
     * Case-insensitive. {@code gpu} is refused with a hint rather than taken as {@code cuda}: the
     * documented values stay the only ones, so a config that works in one place works everywhere.
     *
     * @throws IllegalArgumentException naming the flag, the accepted values and the value given
     */
    public static DeviceSpec parse(String value) {
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "cuda":
                return new DeviceSpec(Kind.CUDA, -1);
            default:
                break;
        }
        if (v.startsWith("cuda:") && v.substring(5).matches("\\d{1,4}")) {
            return new DeviceSpec(Kind.CUDA, Integer.parseInt(v.substring(5)));
        }
        String hint = v.equals("gpu") || v.startsWith("gpu:") ? " (did you mean cuda?)" : "";
        throw new IllegalArgumentException(
                "--device must be auto, cpu, cuda or cuda:N, got '"
                        + value
                        + "'"
                        + hint
                        + ": use auto, cpu, cuda or cuda:N (N = GPU index >= 0).");
    }

    /** The value as {@code --device} spells it. */
    public String cliValue() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> index < 0 ? "cuda" : "cuda:" + index;
        };
    }

    /** The CUDA device this slot uses. */
    public int cudaDevice(int subtaskIndex) {
        if (index >= 0) {
            return index;
        }
        int gpus = visibleGpus();
        return gpus <= 1 ? 0 : Math.floorMod(subtaskIndex, gpus);
    }

    /** GPUs visible to this process: CUDA_VISIBLE_DEVICES if set, else /dev/nvidiaN nodes. */
    static int visibleGpus() {
        String env = System.getenv("CUDA_VISIBLE_DEVICES");
        if (env != null && !env.isBlank()) {
            return env.split(",").length;
        }
        File[] nodes = new File("/dev").listFiles((d, n) -> n.matches("nvidia\\d+"));
        return nodes == null ? 0 : nodes.length;
    }
}
