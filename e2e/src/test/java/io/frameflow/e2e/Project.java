package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The project's deployment files, located through the {@code frameflow.root} property. */
final class Project {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private Project() {}

    static Path root() {
        String root = System.getProperty("frameflow.root");
        Path dir = root != null ? Path.of(root) : Path.of("..");
        Path abs = dir.toAbsolutePath().normalize();
        assertThat(abs.resolve("pom.xml"))
                .as("project root (system property frameflow.root, set by the e2e pom)")
                .isRegularFile();
        return abs;
    }

    static Path file(String relative) {
        Path p = root().resolve(relative);
        assertThat(p).as(relative).isRegularFile();
        return p;
    }

    /** Every YAML file of the deployment folders plus docker-compose.yml. */
    static List<Path> yamlFiles() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("k8s-operator", "monitoring", "flink-conf")) {
            try (Stream<Path> walk = Files.walk(root().resolve(dir))) {
                walk.filter(Files::isRegularFile)
                        .filter(
                                p ->
                                        p.toString().endsWith(".yaml")
                                                || p.toString().endsWith(".yml"))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files.add(file("docker-compose.yml"));
        return files;
    }

    /** All documents of a (multi-document) YAML file. */
    static List<JsonNode> yamlDocuments(Path file) {
        try {
            return YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
        } catch (IOException e) {
            throw new AssertionError("does not parse as YAML: " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode yaml(String relative) {
        List<JsonNode> docs = yamlDocuments(file(relative));
        assertThat(docs).as(relative).hasSize(1);
        return docs.get(0);
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(file(relative).toFile());
        } catch (IOException e) {
            throw new AssertionError("does not parse as JSON: " + relative + ": " + e, e);
        }
    }

    /** The only document of {@code kind} (and name) among the YAML files under {@code dir}. */
    static ObjectNode manifest(String relativeFile, String kind) {
        List<JsonNode> found =
                yamlDocuments(file(relativeFile)).stream()
                        .filter(d -> kind.equals(d.path("kind").asText()))
                        .toList();
        assertThat(found).as(kind + " in " + relativeFile).hasSize(1);
        return (ObjectNode) found.get(0);
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
