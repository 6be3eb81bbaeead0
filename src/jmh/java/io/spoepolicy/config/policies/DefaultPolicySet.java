package io.spoepolicy.config.policies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.reactive.function.client.WebClient;

import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.access.IpAccessFamily;
import io.spoepolicy.policy.auth.ApiKeyFamily;
import io.spoepolicy.policy.auth.JwtFamily;
import io.spoepolicy.policy.ratelimit.RateLimitFamily;
import io.spoepolicy.policy.resilience.GuardFactory;
import io.spoepolicy.policy.settings.PolicyBinder;

/**
 * The policy chains the service assembles from its embedded default configuration (the root
 * application.yml on the class path) with every built-in family, for benchmarks.
 */
public final class DefaultPolicySet {

    private DefaultPolicySet() {
    }

    public static Map<String, List<SpoePolicy>> chains() {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        PolicyAssembler assembler = new PolicyAssembler(List.of(new IpAccessFamily(), new ApiKeyFamily(),
                new JwtFamily(WebClient.create(), GuardFactory.standalone(), Clock.systemUTC()),
                new RateLimitFamily(GuardFactory.standalone())), List::of);
        return assembler.assemble(PolicyBinder.of(environment, null), 1, "benchmark", List.of()).chains();
    }
}
