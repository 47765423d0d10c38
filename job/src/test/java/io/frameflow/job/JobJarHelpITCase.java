package io.frameflow.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code java -jar job/target/frameflow-job.jar --help}, run on the built jar in a JVM
 * of its own (no Flink on its class path, as on a laptop without a Flink distribution): it prints
 * every option instead of failing on the {@code provided} Flink classes. Runs under failsafe, after
 * {@code package} has built the jar.
 */
class JobJarHelpITCase {

    private static final Path JAR = Path.of("target", "frameflow-job.jar");

    private record Run(int exitCode, String stdout, String stderr) {}

    private static Run javaJar(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded job jar (mvn -pl job -am package)").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar"));
        command.add(JAR.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("job-jar-", ".out");
        Path err = Files.createTempFile("job-jar-", ".err");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("java -jar finished").isTrue();
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void helpListsTheOptionsWithoutFlinkOnTheClassPath() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(JobLauncher.class.getName());
            assertThat(
                            jar.getEntry(
                                    "org/apache/flink/streaming/api/functions/ProcessFunction.class"))
                    .as("Flink is provided, not in the jar")
                    .isNull();
        }
        String help = FrameFlowOptions.help();
        String expected = help.endsWith("\n") ? help : help + "\n";
        for (String flag : List.of("--help", "-h")) {
            Run run = javaJar(flag);
            assertThat(run.stderr()).doesNotContain("NoClassDefFoundError");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout())
                    .isEqualTo(expected)
                    .contains("--bootstrap-servers")
                    .contains("--model")
                    .contains("--topic.frames")
                    .contains("--checkpoint-interval");
        }
    }

    @Test
    void withoutFlinkAnythingElseSaysHowToSubmitTheJob() throws Exception {
        Run run = javaJar("--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("flink run").doesNotContain("NoClassDefFoundError");
    }
}
