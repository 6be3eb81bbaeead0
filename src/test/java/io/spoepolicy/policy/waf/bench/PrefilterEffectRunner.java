package io.spoepolicy.policy.waf.bench;

import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.RuleOperators;
import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafSettings;
import io.spoepolicy.policy.waf.operator.Operator;
import io.spoepolicy.policy.waf.operator.OperatorContext;
import io.spoepolicy.policy.waf.operator.RegexOperator;
import io.spoepolicy.testsupport.BenchMessages;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.AbstractMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The {@code @rx} prefilter's effect on the typical requests, in thread CPU time (robust to a
 * loaded machine): CRS at paranoia 1 with the property defaults, evaluated with the prefilter and
 * with every regex forced to run, alternating; plus how many regex calls the prefilter skips.
 * {@code ./mvnw -q -o test -Dtest=PrefilterEffectRunner -Dwaf.bench=true}.
 */
@EnabledIfSystemProperty(named = "waf.bench", matches = "true")
class PrefilterEffectRunner {

    private static final long ROUND_CPU_NANOS = Long.getLong("waf.bench.roundMillis", 3000) * 1_000_000L;

    @Test
    void run() throws Exception {
        WafSettings settings = CrsBench.serviceDefaults();
        WafEngine with = new WafEngine(load(null), settings);
        WafEngine without = new WafEngine(load(op -> op instanceof RegexOperator rx
                ? new RegexOperator(rx.pattern(), null) : op), settings);
        LongAdder calls = new LongAdder();
        LongAdder skipped = new LongAdder();
        Map<String, long[]> costs = new java.util.concurrent.ConcurrentHashMap<>();
        WafEngine counting = new WafEngine(load(op -> {
            if (!(op instanceof RegexOperator rx)) {
                return op;
            }
            return (String input, OperatorContext ctx) -> {
                calls.increment();
                if (rx.prefilter() != null && !rx.prefilter().mayMatch(input)) {
                    skipped.increment();
                    return false;
                }
                long t0 = System.nanoTime();
                boolean m = rx.matches(input, ctx);
                long[] c = costs.computeIfAbsent(rx.pattern().pattern(), k -> new long[3]);
                c[0]++;
                c[1] += System.nanoTime() - t0;
                c[2] += input.length();
                return m;
            };
        }), settings);

        Map<String, WafRequest> requests = Map.of("typical GET (PolicyBenchmark)", typicalGet(),
                "typical POST 1 KB form (WafBenchmark)", WafBenchmark.typicalRequest());
        for (Map.Entry<String, WafRequest> r : requests.entrySet()) {
            calls.reset();
            skipped.reset();
            for (int i = 0; i < 200; i++) {
                counting.evaluate(r.getValue());
            }
            costs.clear();
            calls.reset();
            skipped.reset();
            counting.evaluate(r.getValue());
            costs.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(12)
                    .forEach(e -> System.out.printf(Locale.ROOT, "  ran %d x, %d chars, %.1f µs: %s%n",
                            e.getValue()[0], e.getValue()[2], e.getValue()[1] / 1000.0,
                            e.getKey().length() > 150 ? e.getKey().substring(0, 150) + "..." : e.getKey()));
            if (!with.evaluate(r.getValue()).matchedRuleIds().equals(without.evaluate(r.getValue()).matchedRuleIds())) {
                throw new AssertionError("prefilter changed the outcome of " + r.getKey());
            }
            double off = 0;
            double on = 0;
            for (int round = 0; round < Integer.getInteger("waf.bench.rounds", 3); round++) {
                off = cpuPerCall(without, r.getValue());
                on = cpuPerCall(with, r.getValue());
            }
            System.out.printf(Locale.ROOT, "%s: @rx calls %d, skipped %d (%.1f %%); CPU per evaluation "
                    + "without prefilter %.1f µs, with %.1f µs%n", r.getKey(), calls.sum(), skipped.sum(),
                    100.0 * skipped.sum() / Math.max(1, calls.sum()), off / 1000, on / 1000);
        }
    }

    private static double cpuPerCall(WafEngine engine, WafRequest request) {
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long n = 0;
        int sink = 0;
        while (threads.getCurrentThreadCpuTime() - start < ROUND_CPU_NANOS) {
            for (int i = 0; i < 20; i++) {
                sink += engine.evaluate(request).matchedRuleIds().size();
            }
            n += 20;
        }
        if (sink < 0) {
            System.out.println(sink);
        }
        return (double) (threads.getCurrentThreadCpuTime() - start) / n;
    }

    /** {@link BenchMessages#typical()} as the WAF sees it. */
    static WafRequest typicalGet() throws Exception {
        List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
        for (String[] h : BenchMessages.TYPICAL_HEADERS) {
            list.add(new AbstractMap.SimpleImmutableEntry<>(h[0], h[1]));
        }
        return new WafRequest(InetAddress.getByName(BenchMessages.CLIENT_IP), "GET", BenchMessages.PATH,
                BenchMessages.QUERY, "HTTP/1.1", list, null);
    }

    private static WafRules load(UnaryOperator<Operator> wrap) throws Exception {
        WafRules rules = CrsBench.rules();
        if (wrap != null) {
            RuleOperators.wrapAll(rules, wrap);
        }
        return rules;
    }
}
