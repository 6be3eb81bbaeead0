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
        "spoe.policies.deadline=" + ObservabilityContext.DEADLINE_MILLIS + "ms",
        "spoe.observability.metrics.reactor-netty=true",
        // The dashboard reads the per-policy buckets when they exist (and the mean otherwise).
        "spoe.observability.metrics.policy-duration-histogram=true"})
@Import(ObservabilityTestPolicies.class)
@interface ObservabilityContext {

    /**
     * The policy deadline. Every policy but "sleepy" must answer within it, and their ACKs must
     * not count as late: at 200 ms a cold first request on a loaded machine did neither (and 50
     * requests through HAProxy all had to). "sleepy" sleeps past it.
     */
    long DEADLINE_MILLIS = 2000;
}
