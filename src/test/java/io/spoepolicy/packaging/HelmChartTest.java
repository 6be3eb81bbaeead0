package io.spoepolicy.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import io.spoepolicy.packaging.ChartInvariants.RenderedConfig;
import io.spoepolicy.packaging.Manifests.Node;
import io.spoepolicy.testsupport.FileTrees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart, rendered by real Helm (helm-java) with the default values and the files in the
 * chart's {@code ci/} folder, and checked against {@link ChartInvariants}.
 */
@Tag("packaging")
class HelmChartTest {

    private final HelmChart chart = HelmChart.repository();

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = chart.lintStrict();
        assertThat(lint.isFailed()).as(String.valueOf(lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).as("only informational findings")
                .allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ci/full-values.yaml", "ci/daemonset-values.yaml"})
    void everyValuesFileRendersManifestsThatSatisfyTheInvariants(String valuesFile) {
        HelmChart.Render render = chart.render();
        Node values;
        if (valuesFile.isEmpty()) {
            values = ChartValues.load(chart.directory());
        } else {
            render.values(valuesFile);
            values = ChartValues.load(chart.directory(), chart.directory().resolve(valuesFile));
        }
        ChartInvariants.check(render.manifests(), values);
    }

    @Test
    void defaultValuesRenderADeploymentWithHeadlessSpopServiceAndDisruptionBudget() {
        Manifests manifests = chart.render().manifests();

        assertThat(manifests.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Service",
                "Deployment", "PodDisruptionBudget");
        Node deployment = manifests.get("Deployment");
        assertThat(deployment.integer("spec.replicas")).isEqualTo(2);
        assertThat(deployment.integer("spec.template.spec.terminationGracePeriodSeconds"))
                .as("10 preStop + 10 deadline + 2 linger + 5 web + 5 margin").isEqualTo(32);
        assertThat(deployment.integer("spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds"))
                .isEqualTo(10);
        assertThat(manifests.get("Service", "edge-spoe-policy-service-spop").text("spec.clusterIP")).isEqualTo("None");
        RenderedConfig config = ChartInvariants.check(manifests, ChartValues.load(chart.directory()));
        assertThat(config.phaseTimeout()).as("10 deadline + 2 linger + 1").hasSeconds(13);
        assertThat(config.spopPort()).isEqualTo(12345);
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.managementPort()).isEqualTo(8081);
    }

    @Test
    void fullOptionsRenderAutoscalerServiceMonitorNetworkPolicyAndSecretReferences() {
        Manifests manifests = chart.render().values("ci/full-values.yaml").manifests();

        assertThat(manifests.kinds()).contains("HorizontalPodAutoscaler", "ServiceMonitor", "NetworkPolicy");
        Node pod = manifests.get("Deployment").at("spec.template.spec");
        assertThat(pod.integer("terminationGracePeriodSeconds")).as("explicit value above the minimum").isEqualTo(90);
        Node container = pod.at("containers[0]");
        assertThat(container.text("image")).isEqualTo("registry.example.com/spoe-policy-service:1.2.3");
        assertThat(container.list("env")).anySatisfy(env -> {
            assertThat(env.text("name")).isEqualTo("SPRING_DATA_REDIS_PASSWORD");
            assertThat(env.text("valueFrom.secretKeyRef.name")).isEqualTo("redis-auth");
            assertThat(env.text("valueFrom.secretKeyRef.key")).isEqualTo("password");
        }).anySatisfy(env -> assertThat(env.text("valueFrom.secretKeyRef.name")).isEqualTo("jwks-credentials"))
                .noneSatisfy(env -> assertThat(env.has("value") && env.text("name").contains("PASSWORD")).isTrue());
        assertThat(container.list("volumeMounts")).anySatisfy(mount -> assertThat(mount.text("mountPath"))
                .isEqualTo("/etc/spoe-policy-service/secrets/spoe-api-keys"));
        assertThat(pod.list("volumes")).anySatisfy(volume -> assertThat(volume.text("secret.secretName"))
                .isEqualTo("spoe-api-keys"));

        // By name: with dashboards enabled the chart renders a second ConfigMap.
        Node configMap = manifests.get("ConfigMap", manifests.get("Deployment").text("metadata.name"));
        Node yaml = new Node(RenderedConfig.of(configMap).yaml(), "application.yml");
        assertThat(yaml.text("spring.config.import")).isEqualTo("optional:configtree:/etc/spoe-policy-service/secrets/*/");
        assertThat(yaml.text("spring.data.redis.host")).isEqualTo("redis-master.redis.svc.cluster.local");
        assertThat(yaml.integer("spring.data.redis.port")).isEqualTo(6380);
        assertThat(yaml.text("spoe.policies.deadline")).as("user config kept").isEqualTo("300ms");
        assertThat(yaml.integer("spoe.server.port")).as("the chart owns the port").isEqualTo(12400);

        assertThat(manifests.get("HorizontalPodAutoscaler").list("spec.metrics")).hasSize(2);
        assertThat(manifests.get("ServiceMonitor").text("metadata.labels.release")).isEqualTo("kube-prometheus-stack");
        assertThat(manifests.get("NetworkPolicy").map("spec.ingress[0].from[0].namespaceSelector.matchLabels"))
                .containsEntry("kubernetes.io/metadata.name", "haproxy-controller");
    }

    @Test
    void daemonSetHasNoReplicasAndNoAutoscaler() {
        Manifests manifests = chart.render().values("ci/daemonset-values.yaml").manifests();

        Node daemonSet = manifests.get("DaemonSet");
        assertThat(daemonSet.has("spec.replicas")).isFalse();
        assertThat(daemonSet.text("spec.updateStrategy.type")).isEqualTo("RollingUpdate");
        assertThat(daemonSet.list("spec.template.spec.containers[0].lifecycle.preStop.exec.command"))
                .extracting(n -> n.text("")).containsExactly("sh", "-c", "sleep 10");
        assertThat(manifests.find("Deployment")).isEmpty();
        assertThat(manifests.find("HorizontalPodAutoscaler")).isEmpty();
    }

    @Test
    void preStopFallsBackToExecSleepBeforeKubernetes130() {
        Node container = chart.render().kubeVersion("1.29.4").manifests().get("Deployment")
                .at("spec.template.spec.containers[0]");
        assertThat(container.has("lifecycle.preStop.sleep")).isFalse();
        assertThat(container.list("lifecycle.preStop.exec.command")).extracting(n -> n.text(""))
                .containsExactly("sh", "-c", "sleep 10");
    }

    @Test
    void drainValuesFlowIntoBothTheConfigAndThePodTimings() {
        Manifests manifests = chart.render()
                .set("shutdown.drain.deadlineSeconds", 40)
                .set("shutdown.drain.lingerSeconds", 4)
                .set("shutdown.preStopSleepSeconds", 7)
                .manifests();

        RenderedConfig config = RenderedConfig.of(manifests.get("ConfigMap"));
        assertThat(config.drain().deadline()).hasSeconds(40);
        assertThat(config.phaseTimeout()).as("deadline + linger + 1s").hasSeconds(45);
        assertThat(manifests.get("Deployment").integer("spec.template.spec.terminationGracePeriodSeconds"))
                .as("7 + 40 + 4 + 5 + 5").isEqualTo(61);
    }

    @Test
    void configChangeChangesTheChecksumThatRollsThePods() {
        String before = chart.render().manifests().get("Deployment")
                .text("spec.template.metadata.annotations.checksum/config");
        String after = chart.render().set("config.application.spoe.policies.deadline", "300ms").manifests()
                .get("Deployment").text("spec.template.metadata.annotations.checksum/config");
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void serviceMonitorWaitsForItsApiUnlessTold() {
        // helm template offline has no monitoring.coreos.com/v1 API: the guard must hold it back.
        assertThat(chart.render().set("serviceMonitor.enabled", true).manifests().find("ServiceMonitor")).isEmpty();
        assertThat(chart.render().set("serviceMonitor.enabled", true).set("serviceMonitor.requireCrd", false)
                .manifests().find("ServiceMonitor")).isPresent();
    }

    @Test
    void dashboardsShipAsAConfigMapForTheGrafanaSidecar(@TempDir Path copy) throws IOException {
        FileTrees.copyInto(chart.directory(), copy);
        Files.writeString(copy.resolve("dashboards/spoe.json"), "{\"title\": \"SPOE\", \"panels\": []}\n");

        Manifests manifests = HelmChart.at(copy).render().set("dashboards.enabled", true).manifests();

        Node dashboards = manifests.get("ConfigMap", "edge-spoe-policy-service-dashboards");
        assertThat(dashboards.text("metadata.labels.grafana_dashboard")).isEqualTo("1");
        assertThat(dashboards.map("data")).containsEntry("spoe.json", "{\"title\": \"SPOE\", \"panels\": []}");
        assertThat(HelmChart.at(copy).render().manifests().ofKind("ConfigMap")).as("off by default").hasSize(1);
    }

    @Test
    void everyDashboardInTheChartIsValidJsonAndShips() throws IOException {
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(chart.directory().resolve("dashboards"))) {
            dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        Manifests manifests = chart.render().set("dashboards.enabled", true).manifests();
        if (dashboards.isEmpty()) {
            assertThat(manifests.ofKind("ConfigMap")).as("no dashboards, no ConfigMap").hasSize(1);
            return;
        }
        Map<String, Object> data = manifests.get("ConfigMap", "edge-spoe-policy-service-dashboards").map("data");
        JsonMapper json = JsonMapper.builder().build();
        long size = 0;
        for (Path dashboard : dashboards) {
            String name = dashboard.getFileName().toString();
            assertThat(data).containsKey(name);
            String shipped = String.valueOf(data.get(name));
            assertThat(json.readTree(shipped).path("panels").isArray()).as(name + " is a Grafana dashboard").isTrue();
            size += shipped.length();
        }
        assertThat(size).as("a ConfigMap holds at most 1MiB").isLessThan(1024 * 1024);
    }

    @Test
    void schemaRejectsWrongTypesAndRanges() {
        assertThatThrownBy(() -> chart.render().set("replicaCount", "two").manifests())
                .hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> chart.render().set("ports.spop", 70000).manifests())
                .hasMessageContaining("ports");
        assertThatThrownBy(() -> chart.render().set("kind", "StatefulSet").manifests())
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> chart.render().set("shutdown.drain.deadlineSeconds", "20s").manifests())
                .hasMessageContaining("deadlineSeconds");
        assertThatThrownBy(() -> chart.render().set("replicasCount", 3).manifests())
                .as("typo in a key").hasMessageContaining("replicasCount");
    }

    @Test
    void templatesRejectCombinationsTheSchemaCannotExpress() {
        assertThatThrownBy(() -> chart.render().set("shutdown.terminationGracePeriodSeconds", 30).manifests())
                .hasMessageContaining("terminationGracePeriodSeconds (30) must be at least").hasMessageContaining("= 32");
        assertThatThrownBy(() -> chart.render().set("podDisruptionBudget.minAvailable", 2)
                .set("podDisruptionBudget.maxUnavailable", "null").manifests())
                .hasMessageContaining("minAvailable (2) must be below the replica count (2)");
        assertThatThrownBy(() -> chart.render().set("podDisruptionBudget.minAvailable", 1).manifests())
                .hasMessageContaining("exactly one of minAvailable and maxUnavailable");
        assertThatThrownBy(() -> chart.render().set("shutdown.drain.windowSeconds", 10).manifests())
                .hasMessageContaining("windowSeconds (10s) + shutdown.drain.quietPeriodMillis (200ms) must not exceed");
        assertThatThrownBy(() -> chart.render().set("networkPolicy.enabled", true).manifests())
                .hasMessageContaining("networkPolicy.haproxy.podSelector");
        assertThatThrownBy(() -> chart.render().set("kind", "DaemonSet").set("autoscaling.enabled", true).manifests())
                .hasMessageContaining("DaemonSet");
        assertThatThrownBy(() -> chart.render().set("ports.management", 12345).manifests())
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> chart.render().set("autoscaling.enabled", true).set("autoscaling.minReplicas", 5)
                .set("autoscaling.maxReplicas", 3).manifests())
                .hasMessageContaining("minReplicas (5) must not exceed");
    }
}
