package io.spoepolicy.policy.waf.bench;

import com.sun.management.ThreadMXBean;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.waf.WafEngine;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.operator.Operator;
import io.spoepolicy.policy.waf.operator.RegexOperator;
import io.spoepolicy.policy.waf.operator.RegexOptions;
import io.spoepolicy.policy.waf.rules.Rule;
import io.spoepolicy.policy.waf.rules.RuleSet;
import io.spoepolicy.policy.waf.spring.WafPolicy;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testsupport.BenchMessages;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Thread CPU time and allocated bytes per WAF evaluation (CRS PL1) on the typical GET of the
 * policy benchmark ({@code WafPolicy.decide}) and on {@link WafBenchmark}'s typical POST: robust
 * to the load of a shared machine, unlike wall-clock figures.
 * {@code ./mvnw -q -o test -Dtest=WafCpuCheck -Dwaf.cpu=true [-Dwaf.cpu.seconds=5]}; skipped
 * otherwise.
 */
@EnabledIfSystemProperty(named = "waf.cpu", matches = "true")
class WafCpuCheck {

    private static volatile int sink;

    @Test
    void run() throws Exception {
        long seconds = Long.getLong("waf.cpu.seconds", 5);
        // -Dwaf.cpu.dfa=false loads without the @rx DFAs, for before/after comparisons.
        RegexOptions regex = Boolean.parseBoolean(System.getProperty("waf.cpu.dfa", "true"))
                ? RegexOptions.DEFAULT : RegexOptions.NO_DFA;
        long loadStart = System.nanoTime();
        WafRules rules = CrsBench.rules(regex);
        System.out.printf("WAF rules loaded in %d ms: %s%n", (System.nanoTime() - loadStart) / 1_000_000,
                rules.report().summary());
        if (Boolean.getBoolean("waf.cpu.regexFree")) {
            // The floor a perfect regex prefilter could reach: every @rx call answers "no match"
            // for free, so what remains is the engine's own per-rule and per-value work.
            rules = new WafRules(withoutRegexCost(rules.ruleSet()), rules.report());
        }
        int fill = Integer.getInteger("waf.cpu.fill", 0);
        if (fill > 0) {
            fillLazyDfas(rules.ruleSet(), fill);
            System.out.println("WAFCPU lazy DFA caches after the fill: " + rules.regexDfaCache());
        }
        WafPolicy policy = new WafPolicy(new WafEngine(rules, CrsBench.serviceDefaults()), 403, false);
        SpopMessage get = BenchMessages.typical();
        WafEngine engine = CrsBench.unbudgeted(rules, 1);
        var post = WafBenchmark.typicalRequest();
        String jfr = System.getProperty("waf.cpu.jfr");
        jdk.jfr.Recording recording = null;
        if (jfr != null) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
            recording.start();
        }
        measure("typical GET (WafPolicy.decide)", () -> policy.decide(new PolicyRequest(get, "engine")), seconds);
        measure("typical POST 1 KB form (WafEngine)", () -> engine.evaluate(post), seconds);
        System.out.println("WAFCPU lazy DFA caches at the end: " + rules.regexDfaCache());
        if (recording != null) {
            recording.stop();
            recording.dump(java.nio.file.Path.of(jfr));
        }
    }

    /**
     * A long-running agent's varied traffic, compressed: {@code perPattern} distinct random
     * values through every lazily built DFA, so that each reaches its memory bound on states the
     * typical requests do not need (before clear-and-rebuild, those then went to RE2J for good).
     */
    private static void fillLazyDfas(RuleSet rules, int perPattern) {
        java.util.Set<RegexOperator> lazy = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int phase : RuleSet.REQUEST_PHASES) {
            for (Rule r : rules.phase(phase).rules()) {
                for (Rule link = r; link != null; link = link.chained()) {
                    if (link.operator() instanceof RegexOperator rx && rx.dfa() != null && rx.dfa().lazy()) {
                        lazy.add(rx);
                    }
                }
            }
        }
        java.util.Random random = new java.util.Random(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\t\n";
        long start = System.nanoTime();
        int hash = 0;
        StringBuilder sb = new StringBuilder();
        for (RegexOperator rx : lazy) {
            for (int k = 0; k < perPattern; k++) {
                sb.setLength(0);
                int len = 4 + random.nextInt(60);
                for (int i = 0; i < len; i++) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                hash += rx.dfa().search(sb);
            }
        }
        sink = hash;
        System.out.printf(Locale.ROOT, "filled %d lazy DFAs with %d random values each in %d ms: %s%n", lazy.size(),
                perPattern, (System.nanoTime() - start) / 1_000_000,
                lazy.stream().map(rx -> rx.dfa().toString()).limit(3).toList());
    }

    private static RuleSet withoutRegexCost(RuleSet original) {
        Rule[] p1 = original.phase(1).rules();
        Rule[] p2 = original.phase(2).rules();
        Map<Integer, String> markers1 = new java.util.HashMap<>();
        original.phase(1).markers().forEach((name, at) -> markers1.put(at, name));
        RuleSet.Builder b = new RuleSet.Builder();
        int j = 0;
        for (int i = 0; i <= p1.length; i++) {
            if (i < p1.length && p1[i] != null) {
                b.add(cheap(p1[i]));
                continue;
            }
            // A marker (or the end): phase 2's rules up to the same marker come first.
            while (j < p2.length && p2[j] != null) {
                b.add(cheap(p2[j++]));
            }
            j++;
            if (i < p1.length) {
                b.marker(markers1.get(i));
            }
        }
        return b.build();
    }

    private static Rule cheap(Rule r) {
        Operator op = r.operator() instanceof RegexOperator ? (input, context) -> false : r.operator();
        return new Rule(r.id(), r.phase(), r.source(), r.targets(), r.exclusions(), r.transforms(), op, r.negated(),
                r.actions(), r.chained() == null ? null : cheap(r.chained()));
    }

    private static void measure(String name, Supplier<Object> body, long seconds) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        run(body, threads.getCurrentThreadCpuTime() + seconds * 1_000_000_000L, threads);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long bytes0 = threads.getThreadAllocatedBytes(id);
        long ops = run(body, cpu0 + seconds * 1_000_000_000L, threads);
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long bytes = threads.getThreadAllocatedBytes(id) - bytes0;
        System.out.printf(Locale.ROOT, "WAFCPU %-38s %10.1f µs/op CPU %10.0f B/op (%d ops)%n", name,
                cpu / 1000.0 / ops, (double) bytes / ops, ops);
    }

    private static long run(Supplier<Object> body, long cpuDeadline, ThreadMXBean threads) {
        long ops = 0;
        int hash = 0;
        while (threads.getCurrentThreadCpuTime() < cpuDeadline) {
            for (int i = 0; i < 50; i++) {
                hash += System.identityHashCode(body.get()) & 1;
            }
            ops += 50;
        }
        sink = hash;
        return ops;
    }
}
