package io.spoepolicy.packaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import io.spoepolicy.config.SpoeServerProperties;
import io.spoepolicy.packaging.Manifests.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every render of the chart must satisfy, whatever the values: the pod, its Services and its
 * rendered application.yml agree on ports and timings, and the pod is locked down.
 */
final class ChartInvariants {

    static final String LIVENESS = "/actuator/health/liveness";
    static final String READINESS = "/actuator/health/readiness";
    static final String PROMETHEUS = "/actuator/prometheus";

    private final Manifests manifests;
    private final Node values;
    private final Node workload;
    private final Node pod;
    private final Node container;
    private final RenderedConfig config;

    private ChartInvariants(Manifests manifests, Node values) {
        this.manifests = manifests;
        this.values = values;
        List<Node> workloads = new java.util.ArrayList<>(manifests.ofKind("Deployment"));
        workloads.addAll(manifests.ofKind("DaemonSet"));
        assertThat(workloads).as("one Deployment or DaemonSet").hasSize(1);
        this.workload = workloads.get(0);
        assertThat(workload.text("kind")).isEqualTo(values.text("kind"));
        this.pod = workload.at("spec.template.spec");
        assertThat(pod.list("containers")).hasSize(1);
        this.container = pod.at("containers[0]");
        this.config = RenderedConfig.of(manifests.get("ConfigMap", workload.text("metadata.name")));
    }

    static RenderedConfig check(Manifests manifests, Node values) {
        ChartInvariants invariants = new ChartInvariants(manifests, values);
        invariants.portsMatchTheRenderedConfig();
        invariants.probesUseActuatorGroupsOnTheManagementPort();
        invariants.shutdownBudgetHolds();
        invariants.podIsLockedDown();
        invariants.configIsMounted();
        invariants.servicesSelectThePods();
        invariants.disruptionBudgetAndAutoscalerAgreeWithReplicas();
        invariants.serviceMonitorScrapesPrometheus();
        invariants.networkPolicyAdmitsHaproxyOnSpop();
        return invariants.config;
    }

    private Map<String, Object> podLabels() {
        return workload.map("spec.template.metadata.labels");
    }

    private void assertSelectsPods(Map<String, Object> selector, String what) {
        assertThat(selector).as(what + " selector").isNotEmpty();
        assertThat(podLabels()).as(what + " selects the pods").containsAllEntriesOf(selector);
        assertThat(workload.map("spec.selector.matchLabels")).as(what + " = workload selector")
                .isEqualTo(selector);
    }

    /** Port number of the container port with this name. */
    private int containerPort(String name) {
        return container.list("ports").stream().filter(p -> name.equals(p.text("name")))
                .map(p -> p.integer("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    void portsMatchTheRenderedConfig() {
        assertThat(containerPort("spop")).isEqualTo(config.spopPort()).isEqualTo(values.integer("ports.spop"));
        assertThat(containerPort("http")).isEqualTo(config.httpPort()).isEqualTo(values.integer("ports.http"));
        assertThat(containerPort("management")).isEqualTo(config.managementPort())
                .isEqualTo(values.integer("ports.management"));
        assertThat(container.list("ports")).allSatisfy(p -> assertThat(p.text("protocol")).isEqualTo("TCP"));
    }

    void probesUseActuatorGroupsOnTheManagementPort() {
        Map<String, String> expected = Map.of("startupProbe", LIVENESS, "livenessProbe", LIVENESS,
                "readinessProbe", READINESS);
        expected.forEach((probe, path) -> {
            Node get = container.at(probe + ".httpGet");
            assertThat(get.text("path")).as(probe).isEqualTo(path);
            Object port = get.at("port").value();
            int number = port instanceof Number n ? n.intValue() : containerPort(String.valueOf(port));
            assertThat(number).as(probe + " port").isEqualTo(config.managementPort())
                    .isNotEqualTo(config.spopPort());
        });
    }

    void shutdownBudgetHolds() {
        int preStop = preStopSeconds();
        assertThat(preStop).isEqualTo(values.integer("shutdown.preStopSleepSeconds"));
        long grace = pod.integer("terminationGracePeriodSeconds");
        Duration drain = config.drain().deadline().plus(config.drain().linger());
        Duration required = Duration.ofSeconds(preStop).plus(drain)
                .plusSeconds(values.integer("shutdown.webGracefulSeconds"))
                .plusSeconds(values.integer("shutdown.marginSeconds"));
        assertThat(Duration.ofSeconds(grace))
                .as("terminationGracePeriodSeconds >= preStop + drain.deadline + drain.linger + web graceful + margin")
                .isGreaterThanOrEqualTo(required);
        // What DrainBudget checks at startup, so the rendered config cannot fail to boot.
        assertThat(config.phaseTimeout()).as("timeout-per-shutdown-phase >= deadline + linger + 1s")
                .isGreaterThanOrEqualTo(drain.plusSeconds(1))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(values.integer("shutdown.webGracefulSeconds")));
        assertThat(config.drain().window().plus(config.drain().quietPeriod())).as("window + quiet-period <= deadline")
                .isLessThanOrEqualTo(config.drain().deadline());
        // The drain values come from the chart values, not from defaults that happen to match.
        assertThat(config.drain().deadline()).isEqualTo(Duration.ofSeconds(values.integer("shutdown.drain.deadlineSeconds")));
        assertThat(config.drain().linger()).isEqualTo(Duration.ofSeconds(values.integer("shutdown.drain.lingerSeconds")));
        assertThat(config.drain().window()).isEqualTo(Duration.ofSeconds(values.integer("shutdown.drain.windowSeconds")));
        assertThat(config.drain().quietPeriod())
                .isEqualTo(Duration.ofMillis(values.integer("shutdown.drain.quietPeriodMillis")));
        assertThat(config.gracefulWebShutdown()).as("server.shutdown=graceful").isTrue();
    }

    int preStopSeconds() {
        Node preStop = container.at("lifecycle.preStop");
        if (preStop.has("sleep")) {
            return preStop.integer("sleep.seconds");
        }
        List<Node> command = preStop.list("exec.command");
        String script = command.get(command.size() - 1).text("");
        assertThat(script).matches("sleep [0-9]+");
        return Integer.parseInt(script.substring("sleep ".length()));
    }

    void podIsLockedDown() {
        assertThat(pod.at("securityContext.runAsNonRoot").value()).isEqualTo(true);
        assertThat(pod.integer("securityContext.runAsUser")).isPositive();
        assertThat(pod.text("securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
        assertThat(pod.at("automountServiceAccountToken").value()).isEqualTo(false);
        assertThat(container.at("securityContext.readOnlyRootFilesystem").value()).isEqualTo(true);
        assertThat(container.at("securityContext.allowPrivilegeEscalation").value()).isEqualTo(false);
        assertThat(container.list("securityContext.capabilities.drop")).extracting(n -> n.text(""))
                .containsExactly("ALL");
        String tmpVolume = mountAt("/tmp").text("name");
        assertThat(volume(tmpVolume).has("emptyDir")).as("/tmp is an emptyDir").isTrue();
    }

    void configIsMounted() {
        Node mount = mountAt("/application/config");
        assertThat(mount.at("readOnly").value()).isEqualTo(true);
        assertThat(volume(mount.text("name")).text("configMap.name")).isEqualTo(workload.text("metadata.name"));
        assertThat(workload.text("spec.template.metadata.annotations.checksum/config")).matches("[0-9a-f]{64}");
    }

    private Node mountAt(String path) {
        return container.list("volumeMounts").stream().filter(m -> path.equals(m.text("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private Node volume(String name) {
        return pod.list("volumes").stream().filter(v -> name.equals(v.text("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    void servicesSelectThePods() {
        List<Node> services = manifests.ofKind("Service");
        assertThat(services).hasSize(2);
        Node headless = services.stream().filter(s -> "None".equals(s.text("spec.clusterIP"))).findFirst()
                .orElseThrow(() -> new AssertionError("no headless Service"));
        assertThat(headless.at("spec.publishNotReadyAddresses").value()).isEqualTo(false);
        assertSelectsPods(headless.map("spec.selector"), "headless SPOP Service");
        assertThat(headless.list("spec.ports")).singleElement().satisfies(port -> {
            assertThat(port.text("name")).isEqualTo("spop");
            assertThat(port.integer("port")).isEqualTo(config.spopPort());
            assertThat(containerPort(port.text("targetPort"))).isEqualTo(config.spopPort());
        });
        Node http = services.stream().filter(s -> s != headless).findFirst().orElseThrow();
        assertSelectsPods(http.map("spec.selector"), "HTTP Service");
        assertThat(http.list("spec.ports")).extracting(p -> containerPort(p.text("targetPort")))
                .containsExactlyInAnyOrder(config.httpPort(), config.managementPort());
        if (pod.has("topologySpreadConstraints")) {
            pod.list("topologySpreadConstraints").forEach(c -> assertThat(podLabels())
                    .containsAllEntriesOf(c.map("labelSelector.matchLabels")));
        }
    }

    void disruptionBudgetAndAutoscalerAgreeWithReplicas() {
        Optional<Node> hpa = manifests.find("HorizontalPodAutoscaler");
        boolean deployment = "Deployment".equals(workload.text("kind"));
        int minReplicas;
        if (hpa.isPresent()) {
            assertThat(deployment).as("HPA only scales a Deployment").isTrue();
            Node spec = hpa.get().at("spec");
            assertThat(hpa.get().text("apiVersion")).isEqualTo("autoscaling/v2");
            assertThat(spec.text("scaleTargetRef.kind")).isEqualTo("Deployment");
            assertThat(spec.text("scaleTargetRef.name")).isEqualTo(workload.text("metadata.name"));
            assertThat(spec.integer("minReplicas")).isPositive().isLessThanOrEqualTo(spec.integer("maxReplicas"));
            assertThat(spec.list("metrics")).isNotEmpty();
            assertThat(workload.has("spec.replicas")).as("replicas left to the HPA").isFalse();
            minReplicas = spec.integer("minReplicas");
        } else {
            minReplicas = deployment ? workload.integer("spec.replicas") : Integer.MAX_VALUE;
        }
        manifests.find("PodDisruptionBudget").ifPresent(pdb -> {
            assertThat(pdb.text("apiVersion")).isEqualTo("policy/v1");
            assertSelectsPods(pdb.map("spec.selector.matchLabels"), "PodDisruptionBudget");
            Node spec = pdb.at("spec");
            assertThat(spec.has("minAvailable") ^ spec.has("maxUnavailable")).as("exactly one of them").isTrue();
            if (spec.has("minAvailable") && spec.at("minAvailable").value() instanceof Number min) {
                assertThat(min.intValue()).as("minAvailable leaves a pod evictable").isLessThan(minReplicas);
            }
            if (spec.has("maxUnavailable") && spec.at("maxUnavailable").value() instanceof Number max) {
                assertThat(max.intValue()).as("maxUnavailable lets a pod go").isPositive();
            }
        });
    }

    void serviceMonitorScrapesPrometheus() {
        manifests.find("ServiceMonitor").ifPresent(sm -> {
            assertThat(sm.text("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
            Node endpoint = sm.list("spec.endpoints").get(0);
            assertThat(endpoint.text("path")).isEqualTo(PROMETHEUS);
            Map<String, Object> selector = sm.map("spec.selector.matchLabels");
            List<Node> scraped = manifests.ofKind("Service").stream()
                    .filter(s -> s.map("metadata.labels").entrySet().containsAll(selector.entrySet()))
                    .filter(s -> s.list("spec.ports").stream().anyMatch(p -> endpoint.text("port").equals(p.text("name"))))
                    .toList();
            assertThat(scraped).as("Services the ServiceMonitor scrapes").singleElement().satisfies(service -> {
                Node port = service.list("spec.ports").stream()
                        .filter(p -> endpoint.text("port").equals(p.text("name"))).findFirst().orElseThrow();
                assertThat(containerPort(port.text("targetPort"))).isEqualTo(config.managementPort());
            });
        });
    }

    void networkPolicyAdmitsHaproxyOnSpop() {
        manifests.find("NetworkPolicy").ifPresent(np -> {
            assertSelectsPods(np.map("spec.podSelector.matchLabels"), "NetworkPolicy");
            assertThat(np.list("spec.policyTypes")).extracting(n -> n.text("")).contains("Ingress");
            List<Node> spopRules = np.list("spec.ingress").stream()
                    .filter(rule -> rule.list("ports").stream().anyMatch(p -> isPort(p, "spop", config.spopPort())))
                    .toList();
            assertThat(spopRules).as("rules that open the SPOP port").singleElement().satisfies(rule -> {
                assertThat(rule.list("ports")).as("SPOP rule opens nothing else").hasSize(1);
                assertThat(rule.list("from")).as("SPOP peers").isNotEmpty().allSatisfy(peer ->
                        assertThat(peer.map("podSelector")).as("HAProxy pod selector").isNotEmpty());
            });
        });
    }

    private boolean isPort(Node port, String name, int number) {
        Object value = port.at("port").value();
        return value instanceof Number n ? n.intValue() == number : name.equals(value) && containerPort(name) == number;
    }

    /** The service's view of the ConfigMap's application.yml, bound with Spring Boot's binder. */
    record RenderedConfig(int spopPort, int httpPort, int managementPort, SpoeServerProperties.Drain drain,
            Duration phaseTimeout, boolean gracefulWebShutdown, Map<String, Object> yaml) {

        static RenderedConfig of(Node configMap) {
            String text = String.valueOf(configMap.map("data").get("application.yml"));
            List<PropertySource<?>> sources;
            try {
                sources = new YamlPropertySourceLoader().load("application.yml",
                        new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Binder binder = new Binder(ConfigurationPropertySources.from(sources));
            SpoeServerProperties server = binder.bind("spoe.server", SpoeServerProperties.class)
                    .orElseThrow(() -> new AssertionError("no spoe.server in the rendered application.yml"));
            Map<String, Object> yaml = new org.yaml.snakeyaml.Yaml().load(text);
            return new RenderedConfig(server.port(),
                    binder.bind("server.port", Integer.class).orElseThrow(() -> new AssertionError("no server.port")),
                    binder.bind("management.server.port", Integer.class)
                            .orElseThrow(() -> new AssertionError("no management.server.port")),
                    server.drain(),
                    binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                            .orElseThrow(() -> new AssertionError("no timeout-per-shutdown-phase")),
                    "graceful".equals(binder.bind("server.shutdown", String.class).orElse("immediate")),
                    yaml);
        }
    }
}
