package io.spoepolicy.observability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The service context {@link ObservabilityIntegrationTest} and {@link ObservabilityThroughHaproxyTest}
 * share, declared once so that the test framework starts it once for both (a context costs about a
 * minute on a small machine); a property added to one copy only had split it in two.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spoe.server.port=0", "server.port=0", "management.server.port=0",
        "spoe.policies.deadline=200ms",
        "spoe.observability.metrics.reactor-netty=true",
        // The dashboard reads the per-policy buckets when they exist (and the mean otherwise).
        "spoe.observability.metrics.policy-duration-histogram=true"})
@Import(ObservabilityTestPolicies.class)
@interface ObservabilityContext {
}
