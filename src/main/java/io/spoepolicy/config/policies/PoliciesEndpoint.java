package io.spoepolicy.config.policies;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.spoepolicy.policy.SpoePolicy;

/**
 * Actuator endpoint {@code policies}: GET shows the active generation, POST reloads the policy
 * configuration. Not exposed over HTTP unless added to
 * {@code management.endpoints.web.exposure.include}; keep the management port off the network.
 */
@Endpoint(id = "policies")
public class PoliciesEndpoint {

    private final PolicyReloader reloader;

    PoliciesEndpoint(PolicyReloader reloader) {
        this.reloader = reloader;
    }

    @ReadOperation
    public Report policies() {
        PolicyGeneration generation = reloader.active().current();
        Map<String, List<String>> chains = new LinkedHashMap<>();
        generation.chains().forEach((message, policies) ->
                chains.put(message, policies.stream().map(SpoePolicy::name).toList()));
        return new Report(generation.number(), generation.loadedAt(), generation.trigger(), chains,
                generation.watchedFiles().stream().map(Object::toString).toList(), reloader.lastResult());
    }

    @WriteOperation
    public ReloadResult reload() {
        return reloader.reload("actuator");
    }

    /**
     * @param generation generation number in use
     * @param loadedAt when it was applied
     * @param trigger what applied it
     * @param chains policy names by message, in evaluation order
     * @param watchedFiles files whose change triggers a reload when watching is on
     * @param lastReload the last reload attempt, or null
     */
    public record Report(long generation, Instant loadedAt, String trigger, Map<String, List<String>> chains,
            List<String> watchedFiles, ReloadResult lastReload) {
    }
}
