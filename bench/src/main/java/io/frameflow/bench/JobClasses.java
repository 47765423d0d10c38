package io.frameflow.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's entry points, called by reflection: nothing depends on the job module in Maven (the job
 * is the top of the graph), so {@code bench/run.sh} puts {@code job/target/classes} on the
 * classpath and the benchmark wires exactly the graph the job's {@code main} wires.
 */
final class JobClasses {

    private static final String OPTIONS = "io.frameflow.job.FrameFlowOptions";
    private static final String JOB = "io.frameflow.job.FrameFlowJob";

    private JobClasses() {}

    /** {@code FrameFlowOptions.fromArgs(args).validate()}. */
    static Object options(String... args) {
        Object parsed =
                call(
                        type(OPTIONS),
                        null,
                        "fromArgs",
                        new Class<?>[] {String[].class},
                        (Object) args);
        return call(parsed.getClass(), parsed, "validate", new Class<?>[0]);
    }

    /** {@code FrameFlowJob.flinkConfiguration(options)}. */
    static Configuration flinkConfiguration(Object options) {
        return (Configuration)
                call(
                        type(JOB),
                        null,
                        "flinkConfiguration",
                        new Class<?>[] {type(OPTIONS)},
                        options);
    }

    /** {@code FrameFlowJob.forOptions(options).buildPipeline(env)}. */
    static void buildPipeline(Object options, StreamExecutionEnvironment env) {
        Object job = call(type(JOB), null, "forOptions", new Class<?>[] {type(OPTIONS)}, options);
        call(
                job.getClass(),
                job,
                "buildPipeline",
                new Class<?>[] {StreamExecutionEnvironment.class},
                env);
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    name
                            + " is not on the classpath: run the benchmark with bench/run.sh, which"
                            + " builds the job module and adds job/target/classes",
                    e);
        }
    }

    private static Object call(
            Class<?> type, Object target, String name, Class<?>[] params, Object... args) {
        try {
            Method m = type.getMethod(name, params);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(type.getSimpleName() + "." + name, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the job module changed: " + type.getName() + "." + name, e);
        }
    }
}
