package io.frameflow.producer;

import io.frameflow.producer.faces.FacesCommand;
import io.frameflow.producer.produce.ProduceCommand;
import io.frameflow.producer.record.RecordCommand;
import io.frameflow.producer.settings.SettingsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code frameflow-producer.jar}: {@code produce}, {@code record}, {@code settings}
 * and {@code faces}.
 */
@Command(
        name = "frameflow-producer",
        mixinStandardHelpOptions = true,
        version = "frameflow-producer 0.1.0",
        description =
                "Publishes cameras and video files to Kafka and records frame streams back to video.",
        subcommands = {
            ProduceCommand.class,
            RecordCommand.class,
            SettingsCommand.class,
            FacesCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FrameFlowCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this in-process). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        return new CommandLine(new FrameFlowCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
