package io.spoepolicy.packaging;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.spoepolicy.packaging.Manifests.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every object the chart renders is valid for the Kubernetes API: checked with the models the
 * official Kubernetes Java client generates from the API's OpenAPI specification, whose validation
 * rejects unknown (misspelled, misplaced) fields, missing required fields and wrong JSON types.
 */
@Tag("packaging")
class KubernetesSchemaTest {

    /** Validators by apiVersion/kind. ServiceMonitor is a CRD: ChartInvariants checks it. */
    private static final Map<String, Validator> VALIDATORS = Map.of(
            "apps/v1/Deployment", V1Deployment::validateJsonElement,
            "apps/v1/DaemonSet", V1DaemonSet::validateJsonElement,
            "v1/Service", V1Service::validateJsonElement,
            "v1/ConfigMap", V1ConfigMap::validateJsonElement,
            "v1/ServiceAccount", V1ServiceAccount::validateJsonElement,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::validateJsonElement,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler::validateJsonElement,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy::validateJsonElement);

    private static final Gson GSON = new Gson();

    @FunctionalInterface
    interface Validator {
        void validate(JsonElement json) throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ci/full-values.yaml", "ci/daemonset-values.yaml"})
    void everyRenderedObjectMatchesTheKubernetesApi(String valuesFile) throws Exception {
        HelmChart.Render render = HelmChart.repository().render();
        if (!valuesFile.isEmpty()) {
            render.values(valuesFile);
        }
        List<Node> documents = render.manifests().documents();
        assertThat(documents).isNotEmpty();
        for (Node document : documents) {
            String type = document.text("apiVersion") + "/" + document.text("kind");
            if (type.equals("monitoring.coreos.com/v1/ServiceMonitor")) {
                continue;
            }
            Validator validator = VALIDATORS.get(type);
            assertThat(validator).as("a validator for " + type).isNotNull();
            validator.validate(GSON.toJsonTree(document.value()));
        }
    }

    @Test
    void validationCatchesMisplacedAndMistypedFields() {
        Node deployment = HelmChart.repository().render().manifests().get("Deployment");
        Map<String, Object> container = deployment.at("spec.template.spec.containers[0]").map("");

        container.put("readinesProbe", container.get("readinessProbe"));
        assertThatThrownBy(() -> V1Deployment.validateJsonElement(GSON.toJsonTree(deployment.value())))
                .hasMessageContaining("readinesProbe");
        container.remove("readinesProbe");

        container.put("ports", Stream.of(Map.of("name", "spop")).toList());
        assertThatThrownBy(() -> V1Deployment.validateJsonElement(GSON.toJsonTree(deployment.value())))
                .hasMessageContaining("containerPort");
    }
}
