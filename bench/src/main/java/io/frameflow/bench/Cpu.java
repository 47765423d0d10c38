package io.frameflow.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU time of this JVM: every thread, ORT's and the embedded broker's included. */
final class Cpu {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Groups, in the order tables list them; the first matching prefix/infix wins. */
    static final String[][] GROUPS = {
        {"inference: ORT run + postprocess (batcher threads)", "frameflow-batcher"},
        {"decode + preprocess (engine preprocess threads)", "frameflow-preprocess"},
        {"naive baseline thread (poll, infer, annotate, produce)", "naive-baseline"},
        {"engine threads (limit)", "limit-"},
        {"Flink Kafka source (fetcher + source task)", "Source"},
        {
            "Flink task threads (annotate + encode, operators, (de)serialization)",
            " -> ",
            "Annotate",
            "Window stats",
            "Kafka: "
        },
        {"Kafka producers (clients' network threads)", "kafka-producer-network-thread"},
        {
            "Kafka broker (embedded)",
            "data-plane-kafka",
            "kafka-",
            "broker-",
            "quorum-controller",
            "controller-",
            "raft",
            "log-",
            "TxnMarker",
            "AddPartitionsToTxn",
            "ExpirationReaper",
            "group-coordinator",
            "transaction",
            "ReplicaFetcher",
            "executor-",
            "PersisterStateManager",
            "share-"
        },
        {"bench meter (output consumer)", "output-meter"},
    };

    static final String OTHER_THREADS = "Flink runtime and other Java threads";
    static final String GC = "JVM garbage collector threads";
    static final String JIT = "JVM JIT compiler threads";
    static final String NATIVE =
            "native threads unknown to Java (ORT intra-op pool, OpenCV pool, other)";
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private Cpu() {}

    /** Nanoseconds of CPU this process has used. */
    static long process() {
        return OS.getProcessCpuTime();
    }

    /** A snapshot of the process and per-thread CPU times. */
    record Snapshot(
            long process, Map<Long, Long> threads, Map<Long, String> names, long gc, long jit) {

        static Snapshot take() {
            Map<Long, Long> cpu = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            long[] ids = THREADS.getAllThreadIds();
            ThreadInfo[] infos = THREADS.getThreadInfo(ids);
            for (int i = 0; i < ids.length; i++) {
                long t = THREADS.getThreadCpuTime(ids[i]);
                if (t >= 0 && infos[i] != null) {
                    cpu.put(ids[i], t);
                    names.put(ids[i], infos[i].getThreadName());
                }
            }
            long[] gcJit = gcAndJit();
            return new Snapshot(Cpu.process(), cpu, names, gcJit[0], gcJit[1]);
        }

        /** CPU ms per frame by group between {@code this} and {@code later}. */
        Map<String, Double> perFrame(Snapshot later, int frames) {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String[] g : GROUPS) {
                out.put(g[0], 0.0);
            }
            out.put(OTHER_THREADS, 0.0);
            double threadsTotal = 0;
            for (var e : later.threads.entrySet()) {
                long delta = e.getValue() - threads.getOrDefault(e.getKey(), 0L);
                threadsTotal += delta;
                out.merge(group(later.names.get(e.getKey())), delta / 1e6 / frames, Double::sum);
            }
            // what no Java thread accounts for: GC and JIT by their native names, the rest native
            double gcNanos = later.gc - gc;
            double jitNanos = later.jit - jit;
            out.put(GC, gcNanos / 1e6 / frames);
            out.put(JIT, jitNanos / 1e6 / frames);
            double rest = later.process - process - threadsTotal - gcNanos - jitNanos;
            out.put(NATIVE, Math.max(0, rest) / 1e6 / frames);
            out.values().removeIf(v -> v < 0.005);
            return out;
        }
    }

    /**
     * The {@code n} thread names (digits folded, so pools add up) that used the most CPU between
     * two snapshots, in ms per frame: what hides inside a group ({@code -Dbench.cpuDetail=true}).
     */
    static String topThreads(Snapshot before, Snapshot after, int frames, int n) {
        Map<String, Double> byName = new HashMap<>();
        for (var e : after.threads.entrySet()) {
            long delta = e.getValue() - before.threads.getOrDefault(e.getKey(), 0L);
            String name = after.names.get(e.getKey()).replaceAll("[0-9]+", "#");
            byName.merge(group(name) + " / " + name, delta / 1e6 / frames, Double::sum);
        }
        StringBuilder out = new StringBuilder();
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(n)
                .forEach(e -> out.append(String.format("  %6.2f  %s%n", e.getValue(), e.getKey())));
        return out.toString();
    }

    /** CPU ns of the GC and JIT threads, from /proc/self/task/N/stat (Linux; 0 elsewhere). */
    private static long[] gcAndJit() {
        long gc = 0;
        long jit = 0;
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return new long[] {0, 0};
        }
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                // after "pid (comm) ": state is field 0, utime field 11, stime field 12
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
                    gc += ticks * TICK_NANOS;
                } else if (comm.contains("CompilerThre")) {
                    jit += ticks * TICK_NANOS;
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended while we read it
            }
        }
        return new long[] {gc, jit};
    }

    static String group(String thread) {
        for (String[] g : GROUPS) {
            for (int i = 1; i < g.length; i++) {
                if (thread.contains(g[i])) {
                    return g[0];
                }
            }
        }
        return OTHER_THREADS;
    }
}
