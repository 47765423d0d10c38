package io.frameflow.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (exec-maven-plugin, process-classes): writes {@code FrameFlowOptions.help()} to the
 * file {@link JobLauncher} prints for {@code --help}, so the jar's help needs no Flink at run time.
 */
public final class HelpText {

    private HelpText() {}

    /** {@code args[0]}: the file to write. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: HelpText OUTPUT_FILE");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        String help = FrameFlowOptions.help();
        Files.writeString(out, help.endsWith("\n") ? help : help + "\n", StandardCharsets.UTF_8);
    }
}
