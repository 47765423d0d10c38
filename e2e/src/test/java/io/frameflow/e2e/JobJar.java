package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's shaded jar, found by path (e2e has no Maven dependency on the job module), and its
 * option parser called by reflection: manifests are checked against the code that runs them.
 */
final class JobJar {

    static final String OPTIONS_CLASS = "io.frameflow.job.FrameFlowOptions";
    static final String MAIN_CLASS = "io.frameflow.job.FrameFlowJob";

    private static URLClassLoader loader;

    private JobJar() {}

    static Path path() {
        String configured = System.getProperty("frameflow.job.jar");
        Path jar =
                configured != null
                        ? Path.of(configured)
                        : Project.root().resolve("job/target/frameflow-job.jar");
        if (!Files.isRegularFile(jar)) {
            fail(
                    "The job jar "
                            + jar.toAbsolutePath().normalize()
                            + " is missing. Build it before the e2e tests: `mvn -pl job -am package"
                            + " -DskipTests` (a full `mvn verify` builds job before e2e).");
        }
        return jar;
    }

    /** The jar's classes over this test's class path (which has Flink, `provided` in the jar). */
    static synchronized ClassLoader classLoader() {
        if (loader == null) {
            try {
                loader =
                        new URLClassLoader(
                                new URL[] {path().toUri().toURL()}, JobJar.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return loader;
    }

    /**
     * Runs {@code FrameFlowOptions.fromArgs(args).validate()}. The model file lives in the image,
     * so {@code --model}/{@code --labels} values are replaced by an existing placeholder file.
     *
     * @throws IllegalArgumentException the parser's message when it rejects the arguments
     */
    static void parseAndValidate(List<String> args) {
        List<String> local = new ArrayList<>(args);
        try {
            Path placeholder = Files.createTempFile("frameflow-model-", ".onnx");
            placeholder.toFile().deleteOnExit();
            for (int i = 0; i < local.size() - 1; i++) {
                if (local.get(i).equals("--model") || local.get(i).equals("--labels")) {
                    local.set(i + 1, placeholder.toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Class<?> options = Class.forName(OPTIONS_CLASS, true, classLoader());
            Object parsed =
                    options.getMethod("fromArgs", String[].class)
                            .invoke(null, (Object) local.toArray(new String[0]));
            options.getMethod("validate").invoke(parsed);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("the job's option parser failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    OPTIONS_CLASS + ".fromArgs/validate not found in " + path(), e);
        }
    }

    /**
     * Default value of a public static ConfigOption field of an option group in the job jar (the
     * options are declared beside their components, e.g. {@code
     * io.frameflow.connectors.KafkaOptions}).
     */
    static String optionDefault(String groupClass, String field) {
        try {
            Class<?> options = Class.forName(groupClass, true, classLoader());
            Object option = options.getField(field).get(null);
            return String.valueOf(option.getClass().getMethod("defaultValue").invoke(option));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(groupClass + "." + field + " not readable", e);
        }
    }
}
