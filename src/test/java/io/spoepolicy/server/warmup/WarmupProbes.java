package io.spoepolicy.server.warmup;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;

/**
 * What the warm-up tests observe: a policy safe to warm up that counts (and optionally slows down)
 * the synthetic requests, a policy that is not, a listener like the metrics and decision log, and
 * the state of all of them at the moment readiness flips to ACCEPTING_TRAFFIC.
 */
@TestConfiguration(proxyBeanMethods = false)
class WarmupProbes {

    final AtomicInteger warmupSeen = new AtomicInteger();
    final AtomicInteger realSeen = new AtomicInteger();
    final AtomicInteger unsafeSeen = new AtomicInteger();
    final AtomicInteger listened = new AtomicInteger();
    final AtomicReference<AtReadiness> atReadiness = new AtomicReference<>();

    /** The counters and the warm-up report when ACCEPTING_TRAFFIC was published. */
    record AtReadiness(int warmupSeen, WarmupReport report) {
    }

    @Bean
    WarmupProbes probes() {
        return this;
    }

    @Bean
    SyncSpoePolicy warmupCounting(@Value("${warmup-test.sleep-ms:0}") long sleepMillis) {
        return new SyncSpoePolicy() {
            @Override
            public String name() {
                return "warmup-counting";
            }

            @Override
            public boolean warmsUp() {
                return true;
            }

            @Override
            public Decision decide(PolicyRequest request) {
                (request.warmup() ? warmupSeen : realSeen).incrementAndGet();
                if (request.warmup() && sleepMillis > 0) {
                    try {
                        Thread.sleep(sleepMillis);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Decision.allow();
            }
        };
    }

    /** Written before the warm-up existed: must never see synthetic traffic. */
    @Bean
    SyncSpoePolicy notWarmupSafe() {
        return new SyncSpoePolicy() {
            @Override
            public String name() {
                return "not-warmup-safe";
            }

            @Override
            public boolean inline() {
                return true;
            }

            @Override
            public Decision decide(PolicyRequest request) {
                unsafeSeen.incrementAndGet();
                return Decision.allow();
            }
        };
    }

    @Bean
    PolicyListener countingListener() {
        return new PolicyListener() {
            @Override
            public void decided(PolicyRequest request, String policy, Decision decision, long nanos) {
                listened.incrementAndGet();
            }

            @Override
            public void completed(PolicyRequest request, Outcome outcome, long nanos) {
                listened.incrementAndGet();
            }
        };
    }

    @Bean
    ApplicationListener<AvailabilityChangeEvent<?>> readinessProbe(ObjectProvider<SpopWarmup> warmup) {
        return event -> {
            if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                atReadiness.compareAndSet(null, new AtReadiness(warmupSeen.get(), warmup.getObject().report()));
            }
        };
    }
}
