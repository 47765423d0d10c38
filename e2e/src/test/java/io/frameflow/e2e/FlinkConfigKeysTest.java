package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flink ignores configuration keys it does not know, so a misspelt key silently does nothing. Every
 * key of flink-conf/config.yaml, of the FlinkDeployment and of Docker Compose's FLINK_PROPERTIES
 * must be an option Flink 2.2 declares (found in the Flink jars on this class path), or belong to a
 * component that is not on it (the operator, its autoscaler, Kubernetes).
 */
class FlinkConfigKeysTest {

    /** Options of components whose jars are not on the test class path. */
    private static final List<String> OTHER_COMPONENTS =
            List.of("kubernetes.operator.", "job.autoscaler.", "kubernetes.");

    /** Per-reporter options (metrics.reporter.<name>.<option>) the Prometheus reporter reads. */
    private static final Set<String> REPORTER_OPTIONS =
            Set.of("factory.class", "port", "filterLabelValueCharacters", "interval");

    private static Set<String> known;

    @BeforeAll
    static void collectFlinkOptions() throws Exception {
        known = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!new File(entry).getName().startsWith("flink-") || !entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith("org/apache/flink/")
                            && name.endsWith("Options.class")
                            && !name.contains("$")) {
                        collect(name.replace('/', '.').substring(0, name.length() - 6));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(entry, e);
            }
        }
        assertThat(known).as("Flink options found").hasSizeGreaterThan(500);
    }

    private static void collect(String className) {
        Class<?> c;
        try {
            c = Class.forName(className, true, FlinkConfigKeysTest.class.getClassLoader());
        } catch (Throwable e) {
            return; // an options class of an optional component whose dependencies are missing
        }
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    f.setAccessible(true);
                    ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                    known.add(option.key());
                    for (FallbackKey k : option.fallbackKeys()) {
                        known.add(k.getKey());
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // inaccessible field: not a public option
                }
            }
        }
    }

    @Test
    void flinkConfYamlKeysAreFlinkOptions() {
        assertAllKnown("flink-conf/config.yaml", keys(Project.yaml("flink-conf/config.yaml")));
    }

    @Test
    void flinkDeploymentKeysAreFlinkOptions() {
        JsonNode conf =
                Project.manifest("k8s-operator/base/flinkdeployment.yaml", "FlinkDeployment")
                        .at("/spec/flinkConfiguration");
        assertAllKnown("FlinkDeployment flinkConfiguration", keys(conf));
    }

    @Test
    void composeFlinkPropertiesAreFlinkOptions() {
        JsonNode compose = Project.yaml("docker-compose.yml");
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertAllKnown(
                    "docker-compose " + service + " FLINK_PROPERTIES",
                    keys(
                            ManifestValidationTest.flinkProperties(
                                    compose.at("/services/" + service))));
        }
    }

    @Test
    void aMisspeltKeyIsCaught() {
        assertThat(unknown(List.of("execution.checkpointing.interval"))).isEmpty();
        assertThat(
                        unknown(
                                List.of(
                                        "execution.checkpointing.intervall",
                                        "metrics.reporter.prom.prot")))
                .containsExactly("execution.checkpointing.intervall", "metrics.reporter.prom.prot");
    }

    private static void assertAllKnown(String where, List<String> keys) {
        assertThat(keys).as(where).isNotEmpty();
        assertThat(unknown(keys)).as(where + ": keys Flink 2.2 does not know").isEmpty();
    }

    private static List<String> unknown(List<String> keys) {
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            if (known.contains(key) || OTHER_COMPONENTS.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String[] parts = key.split("\\.", 4);
            if (key.startsWith("metrics.reporter.")
                    && parts.length == 4
                    && REPORTER_OPTIONS.contains(parts[3])) {
                continue;
            }
            out.add(key);
        }
        return out;
    }

    private static List<String> keys(JsonNode flat) {
        List<String> out = new ArrayList<>();
        flat.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
