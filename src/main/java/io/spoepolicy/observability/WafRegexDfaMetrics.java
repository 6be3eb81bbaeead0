package io.spoepolicy.observability;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.spoepolicy.policy.waf.regex.dfa.LazyDfaStats;

/**
 * The WAF's lazily built {@code @rx} DFAs, for dashboards and alerts: the figures of
 * {@code regexDfaCache} on {@code /actuator/waf}, zero while the WAF is off. Resets are normal on
 * varied traffic; a pattern given up costs what RE2J costs until its DFA is tried again, so a
 * rising {@code spoe.waf.regex.dfa.given.up} under steady traffic points at inputs crafted to
 * explore states.
 */
public final class WafRegexDfaMetrics implements MeterBinder {

    private final Supplier<LazyDfaStats> stats;

    /** @param stats the counters of the loaded rules, or {@code null} while the WAF is off */
    public WafRegexDfaMetrics(Supplier<LazyDfaStats> stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("spoe.waf.regex.dfa.resets", this, metrics -> metrics.read(LazyDfaStats::resets))
                .description("Full state caches of lazily built @rx DFAs cleared and rebuilt")
                .register(registry);
        FunctionCounter.builder("spoe.waf.regex.dfa.given.up", this, metrics -> metrics.read(LazyDfaStats::givenUp))
                .description("Times an @rx pattern rebuilt its DFA cache too often for the bytes it scanned "
                        + "and was left to RE2J for a while")
                .register(registry);
        Gauge.builder("spoe.waf.regex.dfa.re2j.only", this, metrics -> metrics.read(LazyDfaStats::re2jOnlyNow))
                .description("@rx patterns left to RE2J at this moment")
                .register(registry);
    }

    private long read(ToLongFunction<LazyDfaStats> figure) {
        LazyDfaStats current = stats.get();
        return current == null ? 0 : figure.applyAsLong(current);
    }
}
