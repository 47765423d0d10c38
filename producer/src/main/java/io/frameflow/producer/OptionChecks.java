package io.frameflow.producer;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reports a bad option of a command the picocli way: a {@link ParameterException}, which prints the
 * message with the usage and exits with code 2.
 */
public class OptionChecks {

    private final CommandSpec command;

    public OptionChecks(CommandSpec command) {
        this.command = command;
    }

    /** Fails with {@code message} unless {@code ok}. */
    public void require(boolean ok, String message) {
        if (!ok) {
            throw bad(message);
        }
    }

    /** The exception to throw for a bad option. */
    public ParameterException bad(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    /** The exception to throw for a bad option, with what found it out. */
    public ParameterException bad(String message, Throwable cause) {
        return new ParameterException(command.commandLine(), message, cause);
    }
}
