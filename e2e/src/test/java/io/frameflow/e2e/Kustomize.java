package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Just enough of kustomize to render the CPU overlay's FlinkDeployment without the kustomize
 * binary: its inline JSON 6902 patches (add, remove, replace, test) applied to the base.
 */
final class Kustomize {

    private Kustomize() {}

    /** The base FlinkDeployment with every FlinkDeployment patch of {@code overlay} applied. */
    static ObjectNode overlayFlinkDeployment(String overlay) {
        JsonNode kustomization = Project.yaml(overlay + "/kustomization.yaml");
        assertThat(Project.strings(kustomization.path("resources")))
                .as(overlay + " builds on the base")
                .contains("../../base");
        ObjectNode deployment =
                Project.manifest("k8s-operator/base/flinkdeployment.yaml", "FlinkDeployment")
                        .deepCopy();
        int applied = 0;
        for (JsonNode patch : kustomization.path("patches")) {
            if (!patch.path("target").path("kind").asText().equals("FlinkDeployment")) {
                continue;
            }
            JsonNode ops;
            try {
                ops = Project.YAML.readTree(patch.path("patch").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (JsonNode op : ops) {
                apply(deployment, op);
                applied++;
            }
        }
        assertThat(applied).as("patches applied from " + overlay).isPositive();
        return deployment;
    }

    static void apply(ObjectNode doc, JsonNode op) {
        String path = op.path("path").asText();
        int slash = path.lastIndexOf('/');
        JsonNode parent = doc.at(path.substring(0, slash));
        String last = path.substring(slash + 1);
        assertThat(parent.isMissingNode()).as("patch target parent of " + path).isFalse();
        String kind = op.path("op").asText();
        JsonNode current =
                parent instanceof ArrayNode array
                        ? array.path(Integer.parseInt(last))
                        : parent.path(last);
        switch (kind) {
            case "test" -> assertThat(current).as("test " + path).isEqualTo(op.get("value"));
            case "remove" -> {
                assertThat(current.isMissingNode()).as("remove " + path + " exists").isFalse();
                if (parent instanceof ArrayNode array) {
                    array.remove(Integer.parseInt(last));
                } else {
                    ((ObjectNode) parent).remove(last);
                }
            }
            case "replace", "add" -> {
                if (kind.equals("replace")) {
                    assertThat(current.isMissingNode()).as("replace " + path + " exists").isFalse();
                }
                if (parent instanceof ArrayNode array) {
                    if (kind.equals("add")) {
                        array.insert(
                                last.equals("-") ? array.size() : Integer.parseInt(last),
                                op.get("value"));
                    } else {
                        array.set(Integer.parseInt(last), op.get("value"));
                    }
                } else {
                    ((ObjectNode) parent).set(last, op.get("value"));
                }
            }
            default -> throw new AssertionError("unsupported patch op " + kind + " at " + path);
        }
    }
}
