package io.frameflow.producer;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The producer's command line run in-process, with what it printed. */
public record CliRun(int code, String out, String err) {

    public static CliRun run(String... args) {
        CommandLine cli = FrameFlowCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
