package io.spoepolicy.server;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.SyncSpoePolicy;

/** Policies with controlled behaviour, one SPOE message name each, for protocol tests. */
@TestConfiguration(proxyBeanMethods = false)
class ConformancePolicies {

    /** Answers after {@code ms} milliseconds, reporting how long it was asked to wait. */
    @Bean
    SpoePolicy slowPolicy() {
        return policy("slow", request -> Mono.delay(Duration.ofMillis(request.integer("ms").orElse(0)))
                .thenReturn(Decision.allow().withVariable("slept", request.integer("ms").orElse(0))));
    }

    /** Holds its answer until the test opens the gate (or the deadline passes). */
    @Bean
    Gate gate() {
        return new Gate();
    }

    @Bean
    SpoePolicy gatePolicy(Gate gate) {
        return policy("gate", request -> gate.opened().thenReturn(Decision.allow()));
    }

    /** A gate a test opens once; every policy call waiting on it then completes. */
    static final class Gate {
        private final reactor.core.publisher.Sinks.Empty<Void> sink = reactor.core.publisher.Sinks.empty();

        Mono<Void> opened() {
            return sink.asMono();
        }

        void open() {
            sink.tryEmitEmpty();
        }
    }

    @Bean
    SpoePolicy failingPolicy() {
        return policy("boom", request -> {
            throw new IllegalStateException("policy failure for the test");
        });
    }

    @Bean
    SpoePolicy hangingPolicy() {
        return policy("hang", request -> Mono.never());
    }

    /** Returns many large variables, more than a small frame can carry. */
    @Bean
    SpoePolicy bigPolicy() {
        return policy("big", request -> {
            Decision decision = Decision.deny(403, "big");
            for (int i = 0; i < 50; i++) {
                decision = decision.withVariable("v" + i, "x".repeat(100));
            }
            return Mono.just(decision);
        });
    }

    /** Returns nothing: the ACK has no decision actions. */
    @Bean
    SpoePolicy silentPolicy() {
        return policy("silent", request -> Mono.empty());
    }

    /** Synchronous and not inline: must run on the policy scheduler. */
    @Bean
    SyncSpoePolicy threadPolicy() {
        return new SyncSpoePolicy() {
            @Override
            public String name() {
                return "thread";
            }

            @Override
            public Set<String> messages() {
                return Set.of("thread");
            }

            @Override
            public Decision decide(PolicyRequest request) {
                return Decision.allow().withVariable("thread", Thread.currentThread().getName());
            }
        };
    }

    private static SpoePolicy policy(String name, java.util.function.Function<PolicyRequest, Mono<Decision>> body) {
        return new SpoePolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<String> messages() {
                return Set.of(name);
            }

            @Override
            public Mono<Decision> evaluate(PolicyRequest request) {
                return body.apply(request);
            }
        };
    }
}
