package io.spoepolicy.loadgen;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;

/**
 * Benchmark-only policy: allows everything, inline. Added to an agent under test with
 * {@code --spring.main.sources=io.spoepolicy.loadgen.AllowAllPolicy}, it measures what the
 * agent costs when policies cost nothing.
 */
public class AllowAllPolicy implements SyncSpoePolicy {

    @Override
    public String name() {
        return "allow-all";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Decision decide(PolicyRequest request) {
        return Decision.allow();
    }
}
