package io.spoepolicy.server;

import java.time.Duration;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.testsupport.MessagePolicy;

/** Policies with controlled behaviour, one SPOE message name each, for protocol tests. */
@TestConfiguration(proxyBeanMethods = false)
class ConformancePolicies {

    /** Answers after {@code ms} milliseconds, reporting how long it was asked to wait. */
    @Bean
    SpoePolicy slowPolicy() {
        return new MessagePolicy("slow", request -> Mono.delay(Duration.ofMillis(request.integer("ms").orElse(0)))
                .thenReturn(Decision.allow().withVariable("slept", request.integer("ms").orElse(0))));
    }

    /** Holds its answer until the test opens the gate (or the deadline passes). */
    @Bean
    Gate gate() {
        return new Gate();
    }

    @Bean
    SpoePolicy gatePolicy(Gate gate) {
        return new MessagePolicy("gate", request -> gate.opened().thenReturn(Decision.allow()));
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
        return new MessagePolicy("boom", request -> {
            throw new IllegalStateException("policy failure for the test");
        });
    }

    @Bean
    SpoePolicy hangingPolicy() {
        return new MessagePolicy("hang", request -> Mono.never());
    }

    /** Returns many large variables, more than a small frame can carry. */
    @Bean
    SpoePolicy bigPolicy() {
        return new MessagePolicy("big", request -> {
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
        return new MessagePolicy("silent", request -> Mono.empty());
    }

    /** Synchronous and not inline: must run on the policy scheduler. */
    @Bean
    SyncSpoePolicy threadPolicy() {
        return new MessagePolicy.Sync("thread",
                request -> Decision.allow().withVariable("thread", Thread.currentThread().getName()));
    }
}
