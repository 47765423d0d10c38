package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The FlinkDeployment v1beta1 schema of the Flink Kubernetes Operator's CRD, made strict.
 *
 * <p>Taken from {@code org.apache.flink:flink-kubernetes-operator-api:1.10.0} ({@code
 * META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml}). Two changes:
 *
 * <ul>
 *   <li>every object schema with {@code properties} and no {@code additionalProperties} gets {@code
 *       additionalProperties: false}, recursively: Kubernetes prunes unknown fields silently, so a
 *       misspelt field would otherwise pass and then be ignored;
 *   <li>the {@code flinkVersion} enum, which stops at {@code v1_20} in 1.10, is extended with
 *       {@code v2_0}, {@code v2_1} and {@code v2_2}, the values of operator releases that run Flink
 *       2.x (FrameFlow needs Flink 2.2).
 * </ul>
 */
final class FlinkDeploymentSchema {

    static final String CRD = "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    static final List<String> FLINK_2_VERSIONS = List.of("v2_0", "v2_1", "v2_2");

    private static JsonSchema schema;

    private FlinkDeploymentSchema() {}

    static synchronized JsonSchema get() {
        if (schema == null) {
            ObjectNode openApi = strictOpenApiSchema();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
        }
        return schema;
    }

    static ObjectNode strictOpenApiSchema() {
        JsonNode crd;
        try (InputStream in = FlinkDeploymentSchema.class.getResourceAsStream(CRD)) {
            assertThat(in).as(CRD + " on the test class path").isNotNull();
            crd = Project.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode openApi = null;
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("name").asText().equals("v1beta1")) {
                openApi = (ObjectNode) version.path("schema").path("openAPIV3Schema").deepCopy();
            }
        }
        assertThat(openApi).as("v1beta1 schema in " + CRD).isNotNull();
        ObjectNode root = (ObjectNode) openApi.get("properties");
        root.set(
                "apiVersion",
                Project.JSON
                        .createObjectNode()
                        .put("type", "string")
                        .set(
                                "enum",
                                Project.JSON.createArrayNode().add("flink.apache.org/v1beta1")));
        root.set(
                "kind",
                Project.JSON
                        .createObjectNode()
                        .put("type", "string")
                        .set("enum", Project.JSON.createArrayNode().add("FlinkDeployment")));
        ObjectNode stringMap = Project.JSON.createObjectNode().put("type", "object");
        stringMap.set(
                "additionalProperties", Project.JSON.createObjectNode().put("type", "string"));
        ObjectNode metadata = Project.JSON.createObjectNode().put("type", "object");
        ObjectNode metadataProps = metadata.putObject("properties");
        metadataProps.putObject("name").put("type", "string");
        metadataProps.putObject("namespace").put("type", "string");
        metadataProps.set("labels", stringMap);
        metadataProps.set("annotations", stringMap.deepCopy());
        metadata.putArray("required").add("name");
        root.set("metadata", metadata);
        openApi.putArray("required").add("apiVersion").add("kind").add("metadata").add("spec");
        close(openApi);
        ArrayNode versions =
                (ArrayNode) openApi.at("/properties/spec/properties/flinkVersion/enum");
        assertThat(versions.size()).as("flinkVersion enum").isPositive();
        FLINK_2_VERSIONS.forEach(versions::add);
        return openApi;
    }

    /** Adds additionalProperties: false to every object schema that lists its properties. */
    static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties")
                    && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(FlinkDeploymentSchema::close);
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(FlinkDeploymentSchema::close);
        }
    }

    /** The schema violations of a FlinkDeployment, sorted, empty when valid. */
    static Set<String> violations(JsonNode deployment) {
        Set<ValidationMessage> messages = get().validate(deployment);
        return messages.stream()
                .map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
