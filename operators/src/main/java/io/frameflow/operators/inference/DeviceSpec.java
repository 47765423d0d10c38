package io.frameflow.operators.inference;

import java.io.File;
import java.util.Locale;

/**
 * {@code --device auto|cpu|cuda[:N]}. Without an explicit index, a slot picks GPU {@code
 * subtaskIndex % visibleGpus} so parallel slots spread over the GPUs of a machine.
 *
 * @param kind auto, cpu or cuda
 * @param index explicit CUDA device, or -1
 */
public record DeviceSpec(Kind kind, int index) {

    public enum Kind {
        AUTO,
        CPU,
        CUDA
    }

    public static DeviceSpec parse(String value) {
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return new DeviceSpec(Kind.AUTO, -1);
        }
        if (v.equals("cpu")) {
            return new DeviceSpec(Kind.CPU, -1);
        }
        if (v.equals("cuda") || v.equals("gpu")) {
            return new DeviceSpec(Kind.CUDA, -1);
        }
        if (v.startsWith("cuda:")) {
            try {
                int i = Integer.parseInt(v.substring(5));
                if (i >= 0) {
                    return new DeviceSpec(Kind.CUDA, i);
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(
                "Invalid --device '" + value + "'; use auto, cpu, cuda or cuda:N (N >= 0)");
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
