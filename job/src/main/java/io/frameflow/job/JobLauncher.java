package io.frameflow.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The job jar's {@code Main-Class}. It names no Flink class, so {@code java -jar frameflow-job.jar
 * --help} works without Flink on the class path (Flink is {@code provided} by the cluster): the
 * help text is read from {@link #HELP_RESOURCE}, which the build writes from {@code
 * FrameFlowOptions.help()} ({@link HelpText}). Anything else goes to {@link FrameFlowJob#main},
 * which {@code flink run} reaches through this class.
 */
public final class JobLauncher {

    /** The help text in the jar, next to this class. */
    public static final String HELP_RESOURCE = "help.txt";

    private static final String FLINK_CLASS =
            "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment";

    private JobLauncher() {}

    public static void main(String[] args) throws Exception {
        if (wantsHelp(args)) {
            System.out.print(helpText());
            return;
        }
        if (!onClassPath(FLINK_CLASS)) {
            System.err.println(
                    "Flink is not on the class path: submit the job with `flink run"
                            + " frameflow-job.jar [options]` (or the REST API); `java -jar"
                            + " frameflow-job.jar --help` lists the options.");
            System.exit(2);
        }
        FrameFlowJob.main(args);
    }

    /** The same test as {@code FrameFlowOptions.wantsHelp}, without loading Flink's classes. */
    static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
                return true;
            }
        }
        return false;
    }

    /** The help text the build put into the jar. */
    static String helpText() throws IOException {
        try (InputStream in = JobLauncher.class.getResourceAsStream(HELP_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        HELP_RESOURCE + " is missing beside " + JobLauncher.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, JobLauncher.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
