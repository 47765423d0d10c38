package io.frameflow.producer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar (target/frameflow-producer.jar) as a separate JVM, as a user would. */
public final class ProducerProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ProducerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("producer.jar", "target/frameflow-producer.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "Run the ITCases with mvn verify: " + jar + " is built in the package phase");
        }
        return jar;
    }

    public static ProducerProcess start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("frameflow-producer-", ".log");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        return new ProducerProcess(p, out);
    }

    public Process process() {
        return process;
    }

    /** Waits for the exit code. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "producer did not finish in " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** stdout and stderr together. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(output);
    }
}
