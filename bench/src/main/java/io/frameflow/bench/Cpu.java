package io.frameflow.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** CPU time of this JVM: every thread, ORT's and the embedded broker's included. */
final class Cpu {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Cpu() {}

    /** Nanoseconds of CPU this process has used. */
    static long process() {
        return OS.getProcessCpuTime();
    }
}
