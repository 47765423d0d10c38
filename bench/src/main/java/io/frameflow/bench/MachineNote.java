package io.frameflow.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The machine and its load at the start and end of a run, on stdout and in the results file. */
final class MachineNote {

    private MachineNote() {}

    static void print(String when) throws Exception {
        String cpu =
                Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name"))
                        .findFirst()
                        .map(l -> l.replaceAll(".*:\\s*", ""))
                        .orElse("?");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        String text =
                String.format(
                        "%n%s %s: %d cores (%s), %d MiB RAM, Java %s, max heap %d MiB, load average %s%n",
                        when,
                        Instant.now(),
                        Runtime.getRuntime().availableProcessors(),
                        cpu,
                        ((com.sun.management.OperatingSystemMXBean)
                                                ManagementFactory.getOperatingSystemMXBean())
                                        .getTotalMemorySize()
                                >> 20,
                        System.getProperty("java.version"),
                        Runtime.getRuntime().maxMemory() >> 20,
                        load);
        System.out.print(text);
        Table.note(text);
    }
}
