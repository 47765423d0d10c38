package io.frameflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests, Docker Compose file and Flink configuration: they parse, the
 * FlinkDeployment passes the operator's CRD schema made strict, the job accepts its arguments, and
 * Compose, Kubernetes and the job agree on image, arguments, topics and metrics port.
 */
class ManifestValidationTest {

    private static final String DEPLOYMENT = "k8s-operator/base/flinkdeployment.yaml";
    private static final String CPU_OVERLAY = "k8s-operator/overlays/cpu";

    @Test
    void everyYamlFileParses() {
        List<Path> files = Project.yamlFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        for (Path file : files) {
            List<JsonNode> docs = Project.yamlDocuments(file);
            assertThat(docs).as(file.toString()).isNotEmpty();
            docs.forEach(d -> assertThat(d.isObject()).as("document of " + file).isTrue());
        }
    }

    @Test
    void flinkDeploymentMatchesTheOperatorSchema() {
        ObjectNode deployment = Project.manifest(DEPLOYMENT, "FlinkDeployment");
        assertThat(FlinkDeploymentSchema.violations(deployment)).isEmpty();
        assertThat(deployment.at("/spec/flinkVersion").asText())
                .isIn(FlinkDeploymentSchema.FLINK_2_VERSIONS);
        assertThat(deployment.at("/spec/job/upgradeMode").asText()).isEqualTo("savepoint");
    }

    @Test
    void cpuOverlayMatchesTheOperatorSchemaAndHasNoGpu() {
        ObjectNode cpu = Kustomize.overlayFlinkDeployment(CPU_OVERLAY);
        assertThat(FlinkDeploymentSchema.violations(cpu)).isEmpty();
        assertThat(cpu.toString()).doesNotContain("nvidia.com/gpu");
        assertThat(cpu.at("/spec/image").asText()).endsWith("-cpu");
        assertThat(argValue(Project.strings(cpu.at("/spec/job/args")), "--device"))
                .isEqualTo("cpu");
    }

    @Test
    void misspeltFieldsFailTheSchema() {
        ObjectNode deployment = Project.manifest(DEPLOYMENT, "FlinkDeployment");

        ObjectNode topLevel = deployment.deepCopy();
        JsonNode tm = ((ObjectNode) topLevel.get("spec")).remove("taskManager");
        ((ObjectNode) topLevel.get("spec")).set("taskManger", tm);
        assertThat(FlinkDeploymentSchema.violations(topLevel))
                .anySatisfy(m -> assertThat(m).contains("taskManger"));

        ObjectNode nested = deployment.deepCopy();
        ((ObjectNode) nested.at("/spec/job")).put("upgradMode", "savepoint");
        assertThat(FlinkDeploymentSchema.violations(nested))
                .anySatisfy(m -> assertThat(m).contains("upgradMode"));

        ObjectNode inPodTemplate = deployment.deepCopy();
        ((ObjectNode) inPodTemplate.at("/spec/podTemplate/spec/securityContext"))
                .put("runAsNonroot", true);
        assertThat(FlinkDeploymentSchema.violations(inPodTemplate))
                .anySatisfy(m -> assertThat(m).contains("runAsNonroot"));

        ObjectNode badEnum = deployment.deepCopy();
        ((ObjectNode) badEnum.at("/spec/job")).put("upgradeMode", "savepoints");
        assertThat(FlinkDeploymentSchema.violations(badEnum)).isNotEmpty();
    }

    @Test
    void jobArgumentsAreAcceptedByTheJobsOptionParser() {
        List<String> k8s =
                Project.strings(
                        Project.manifest(DEPLOYMENT, "FlinkDeployment").at("/spec/job/args"));
        JobJar.parseAndValidate(k8s);
        JobJar.parseAndValidate(
                Project.strings(
                        Kustomize.overlayFlinkDeployment(CPU_OVERLAY).at("/spec/job/args")));
        JobJar.parseAndValidate(composeJobArgs());

        // the check can fail: a misspelt option and a bad value are rejected
        List<String> misspelt = new ArrayList<>(k8s);
        misspelt.set(misspelt.indexOf("--device"), "--devcie");
        assertThatThrownBy(() -> JobJar.parseAndValidate(misspelt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--devcie");
        List<String> badValue = new ArrayList<>(k8s);
        badValue.set(badValue.indexOf("--device") + 1, "tpu");
        assertThatThrownBy(() -> JobJar.parseAndValidate(badValue))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--device");
    }

    @Test
    void entryClassAndJarLocationMatchTheImage() {
        ObjectNode deployment = Project.manifest(DEPLOYMENT, "FlinkDeployment");
        assertThat(deployment.at("/spec/job/entryClass").asText()).isEqualTo(JobJar.MAIN_CLASS);
        String jarUri = deployment.at("/spec/job/jarURI").asText();
        assertThat(jarUri).startsWith("local:///opt/flink/usrlib/");
        String dockerfile = Project.read("k8s-operator/Dockerfile");
        assertThat(dockerfile).contains(jarUri.substring("local://".length()));
        assertThat(dockerfile).contains("FROM ${FLINK_IMAGE} AS cpu").contains("flink:2.2-java17");
        assertThat(dockerfile).contains("onnxruntime_gpu").contains("/opt/flink/lib/");
        String model = argValue(Project.strings(deployment.at("/spec/job/args")), "--model");
        assertThat(model).startsWith("/opt/frameflow/models/");
        assertThat(dockerfile).contains("/opt/frameflow/models/");
        assertThat(
                        deployment
                                .at(
                                        "/spec/flinkConfiguration/classloader.parent-first-patterns.additional")
                                .asText())
                .contains("ai.onnxruntime");
    }

    @Test
    void gpuTaskManagersAndPodSecurity() {
        ObjectNode deployment = Project.manifest(DEPLOYMENT, "FlinkDeployment");
        JsonNode tm = deployment.at("/spec/taskManager/podTemplate/spec");
        assertThat(tm.at("/containers/0/name").asText()).isEqualTo("flink-main-container");
        assertThat(tm.at("/containers/0/resources/limits").path("nvidia.com/gpu").asInt())
                .isEqualTo(1);
        assertThat(tm.path("nodeSelector").size()).isPositive();
        assertThat(tm.path("tolerations").toString()).contains("nvidia.com/gpu");
        JsonNode pod = deployment.at("/spec/podTemplate/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/containers/0/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(pod.at("/containers/0/securityContext/allowPrivilegeEscalation").asBoolean(true))
                .isFalse();
        JsonNode conf = deployment.at("/spec/flinkConfiguration");
        for (String durable :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            assertThat(conf.path(durable).asText()).as(durable).startsWith("s3://");
        }
        assertThat(conf.path("job.autoscaler.enabled").asText()).isEqualTo("true");
        assertThat(conf.path("kubernetes.rest-service.exposed.type").asText())
                .isEqualTo("ClusterIP");
        assertThat(Project.yamlDocuments(Project.file(DEPLOYMENT)).toString())
                .doesNotContain("Ingress");
        // the UI has no login: nobody who reaches it through a port-forward can submit or cancel
        assertThat(conf.path("web.submit.enable").asText()).isEqualTo("false");
        assertThat(conf.path("web.cancel.enable").asText()).isEqualTo("false");
        // nothing in the manifests opens a port to outside the cluster
        for (java.nio.file.Path file : Project.yamlFiles()) {
            if (!file.toString().contains("k8s-operator")) {
                continue;
            }
            String text = Project.yamlDocuments(file).toString();
            assertThat(text)
                    .as(file.toString())
                    .doesNotContain(
                            "NodePort", "LoadBalancer", "Ingress", "hostPort", "hostNetwork");
        }
    }

    @Test
    void composeAgreesWithTheManifests() {
        ObjectNode deployment = Project.manifest(DEPLOYMENT, "FlinkDeployment");
        JsonNode compose = Project.yaml("docker-compose.yml");
        JsonNode jm = compose.at("/services/jobmanager");
        JsonNode tmService = compose.at("/services/taskmanager");

        // same image and Dockerfile
        assertThat(envDefault(jm.path("image").asText()))
                .isEqualTo(deployment.at("/spec/image").asText());
        assertThat(jm.at("/build/dockerfile").asText()).isEqualTo("k8s-operator/Dockerfile");
        assertThat(tmService.path("image").asText()).isEqualTo(jm.path("image").asText());
        assertThat(tmService.toString()).contains("\"driver\":\"nvidia\"");

        // same entry class and arguments, apart from where Kafka is and the per-deployment ids
        List<String> command = Project.strings(jm.path("command"));
        assertThat(command.get(0)).isEqualTo("standalone-job");
        assertThat(argValue(command, "--job-classname"))
                .isEqualTo(deployment.at("/spec/job/entryClass").asText());
        Map<String, String> composeArgs = argMap(composeJobArgs());
        Map<String, String> k8sArgs = argMap(Project.strings(deployment.at("/spec/job/args")));
        assertThat(composeArgs.keySet()).isEqualTo(k8sArgs.keySet());
        Set<String> mayDiffer =
                Set.of("--bootstrap-servers", "--transactional-id-prefix", "--group-id");
        k8sArgs.forEach(
                (k, v) -> {
                    if (!mayDiffer.contains(k)) {
                        assertThat(composeArgs.get(k)).as(k).isEqualTo(v);
                    }
                });

        // same Flink settings where they matter
        JsonNode props = flinkProperties(jm);
        JsonNode conf = deployment.at("/spec/flinkConfiguration");
        for (String key :
                List.of(
                        "classloader.parent-first-patterns.additional",
                        "pipeline.generic-types",
                        "taskmanager.numberOfTaskSlots",
                        "metrics.reporter.prom.factory.class",
                        "metrics.reporter.prom.port",
                        "metrics.reporter.prom.filterLabelValueCharacters",
                        "taskmanager.memory.managed.fraction",
                        "state.backend.type")) {
            assertThat(props.path(key).asText())
                    .as(key)
                    .isEqualTo(conf.path(key).asText())
                    .isNotEmpty();
        }
        assertThat(flinkProperties(tmService)).isEqualTo(props);

        // ports published on loopback only
        compose.path("services")
                .forEach(
                        s ->
                                s.path("ports")
                                        .forEach(
                                                p ->
                                                        assertThat(p.asText())
                                                                .as("published port")
                                                                .startsWith("127.0.0.1:")));
    }

    @Test
    void topicsAreTheSameEverywhere() {
        Set<String> k8s = new TreeSet<>();
        for (JsonNode topic :
                Project.yamlDocuments(Project.file("k8s-operator/base/kafka-topics.yaml"))) {
            assertThat(topic.path("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotEmpty();
            k8s.add(topic.at("/spec/topicName").asText());
        }
        Set<String> compose = new TreeSet<>();
        String script =
                Project.strings(
                                Project.yaml("docker-compose.yml")
                                        .at("/services/kafka-topics/command"))
                        .get(0);
        Matcher m = Pattern.compile("(frames[a-z.]*):(\\d+)").matcher(script);
        while (m.find()) {
            compose.add(m.group(1));
        }
        Set<String> job = new TreeSet<>();
        for (String field :
                List.of(
                        "TOPIC_FRAMES",
                        "TOPIC_DETECTIONS",
                        "TOPIC_ANNOTATED",
                        "TOPIC_STATS",
                        "TOPIC_EVENTS",
                        "TOPIC_SITES",
                        "TOPIC_DLQ",
                        "TOPIC_CONFIG",
                        "TOPIC_FACES")) {
            job.add(JobJar.optionDefault("io.frameflow.connectors.KafkaOptions", field));
        }
        assertThat(job).hasSize(9);
        assertThat(k8s).isEqualTo(job);
        assertThat(compose).isEqualTo(job);
    }

    @Test
    void metricsPortIsScrapedEverywhere() {
        ObjectNode deployment = Project.manifest(DEPLOYMENT, "FlinkDeployment");
        String port = deployment.at("/spec/flinkConfiguration/metrics.reporter.prom.port").asText();
        assertThat(port).isEqualTo("9249");
        JsonNode containerPort = deployment.at("/spec/podTemplate/spec/containers/0/ports/0");
        assertThat(containerPort.path("name").asText()).isEqualTo("metrics");
        assertThat(containerPort.path("containerPort").asText()).isEqualTo(port);
        JsonNode podMonitor = Project.manifest("k8s-operator/base/podmonitor.yaml", "PodMonitor");
        assertThat(podMonitor.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(podMonitor.at("/spec/selector/matchLabels/app").asText())
                .isEqualTo(deployment.at("/metadata/name").asText());
        String dockerProm = Project.read("monitoring/prometheus-docker.yml");
        assertThat(dockerProm).contains("jobmanager:" + port).contains("port: " + port);
        // the local config scrapes the JobManager at the start of the cluster's port range
        String range =
                Project.yaml("flink-conf/config.yaml").path("metrics.reporter.prom.port").asText();
        assertThat(Project.read("monitoring/prometheus.yml"))
                .contains("localhost:" + range.split("-")[0]);
    }

    @Test
    void kustomizationsReferenceExistingFiles() {
        for (String dir : List.of("k8s-operator/base", CPU_OVERLAY, "monitoring")) {
            JsonNode k = Project.yaml(dir + "/kustomization.yaml");
            Path base = Project.root().resolve(dir);
            k.path("resources")
                    .forEach(
                            r ->
                                    assertThat(base.resolve(r.asText()).normalize())
                                            .as(dir + ": " + r)
                                            .exists());
            k.path("configMapGenerator")
                    .forEach(
                            g ->
                                    g.path("files")
                                            .forEach(
                                                    f ->
                                                            assertThat(
                                                                            base.resolve(
                                                                                    f.asText()
                                                                                            .replaceFirst(
                                                                                                    "^[^=]*=",
                                                                                                    "")))
                                                                    .as(dir + ": " + f)
                                                                    .isRegularFile()));
        }
        // every dashboard is shipped to Kubernetes
        List<String> generated = new ArrayList<>();
        Project.yaml("monitoring/kustomization.yaml")
                .path("configMapGenerator")
                .forEach(g -> g.path("files").forEach(f -> generated.add(f.asText())));
        assertThat(generated).containsAll(DashboardStructureTest.dashboardFiles());
    }

    @Test
    void flinkConfigIsForASessionClusterOnLoopback() {
        JsonNode conf = Project.yaml("flink-conf/config.yaml");
        assertThat(conf.path("pipeline.generic-types").asBoolean(true)).isFalse();
        assertThat(conf.path("rest.bind-address").asText()).isEqualTo("localhost");
        assertThat(conf.path("rest.address").asText()).isEqualTo("localhost");
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf.path("metrics.reporter.prom.port").asText()).matches("\\d+-\\d+");
        assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("file://");
        assertThat(conf.path("restart-strategy.type").asText()).isNotEmpty();
    }

    static List<String> composeJobArgs() {
        List<String> command =
                Project.strings(
                        Project.yaml("docker-compose.yml").at("/services/jobmanager/command"));
        int classname = command.indexOf("--job-classname");
        assertThat(classname).isPositive();
        List<String> args = new ArrayList<>();
        for (String a : command.subList(classname + 2, command.size())) {
            args.add(envDefault(a));
        }
        return args;
    }

    /** {@code ${VAR:-default}} as Compose resolves it without VAR set. */
    static String envDefault(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}").matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
    }

    static JsonNode flinkProperties(JsonNode service) {
        String props = service.at("/environment/FLINK_PROPERTIES").asText();
        assertThat(props).as("FLINK_PROPERTIES").isNotBlank();
        try {
            return Project.YAML.readTree(props);
        } catch (java.io.IOException e) {
            throw new AssertionError("FLINK_PROPERTIES is not YAML", e);
        }
    }

    static String argValue(List<String> args, String key) {
        int i = args.indexOf(key);
        assertThat(i).as(key + " in " + args).isNotNegative();
        return args.get(i + 1);
    }

    static Map<String, String> argMap(List<String> args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String key = args.get(i);
            assertThat(key).as("option name").startsWith("--");
            String value =
                    i + 1 < args.size() && !args.get(i + 1).startsWith("--")
                            ? args.get(++i)
                            : "true";
            map.put(key, value);
        }
        return map;
    }
}
