package io.spoepolicy.policy.waf.regression;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoepolicy.policy.waf.CrsTestSupport;
import io.spoepolicy.policy.waf.WafRegexReport;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.operator.OperatorContext;
import io.spoepolicy.policy.waf.operator.RegexOperator;
import io.spoepolicy.policy.waf.prefilter.RegexSampler;
import io.spoepolicy.policy.waf.regex.dfa.RegexDfa;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The {@code @rx} DFA agrees with RE2J on every regex of the CRS: an exact DFA answers exactly as
 * {@code find()} does, a bounded one never says "no" where RE2J matches. Same inputs as
 * {@link CrsPrefilterSoundnessTest} (the values each pattern saw during the regression replay, a
 * corpus sample, generated strings), plus each generated match with case flips, long s / Kelvin
 * sign, and newlines around it (for anchors).
 */
class CrsDfaSoundnessTest {

    private static final int CORPUS_SAMPLE = 1500;

    @Test
    void dfaAgreesWithRe2jOnEveryCrsPattern() throws IOException {
        Path crs = CrsTestSupport.crs();
        WafRules rules = WafRulesLoader.crs(crs, List.of());
        WafRegexReport report = rules.report().regex();
        Map<String, RegexOperator> operators = new LinkedHashMap<>();
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        LongAdder calls = new LongAdder();
        LongAdder reachedDfa = new LongAdder();
        LongAdder answeredByDfa = new LongAdder();
        io.spoepolicy.policy.waf.RuleOperators.wrapAll(rules, op -> {
            if (!(op instanceof RegexOperator rx)) {
                return op;
            }
            String pattern = rx.pattern().pattern();
            operators.putIfAbsent(pattern, rx);
            Set<String> values = seen.computeIfAbsent(pattern, k -> new LinkedHashSet<>());
            return (String input, OperatorContext ctx) -> {
                values.add(input);
                calls.increment();
                if (rx.prefilter() == null || rx.prefilter().mayMatch(input)) {
                    reachedDfa.increment();
                    int answer = rx.dfa() == null ? RegexDfa.UNKNOWN : rx.dfa().search(input);
                    if (rx.dfa() != null && rx.dfaSettles(answer, ctx.captureEnabled())) {
                        answeredByDfa.increment();
                    }
                }
                return rx.matches(input, ctx);
            };
        });
        List<String> corpusList = CrsReplayCorpus.replay(crs, rules, seen.values());
        long lazyStates = 0;
        for (RegexOperator rx : operators.values()) {
            if (rx.dfa() != null && rx.dfa().lazy()) {
                lazyStates += rx.dfa().states();
            }
        }
        System.out.printf("lazy DFAs after the regression replay: %d states in all%n", lazyStates);

        List<String> violations = new ArrayList<>();
        int exact = 0;
        int bounded = 0;
        long checked = 0;
        long matched = 0;
        long boundedFalseYes = 0;
        long unknown = 0;
        int lazy = 0;
        Random random = new Random(20261126);
        for (Map.Entry<String, RegexOperator> e : operators.entrySet()) {
            String pattern = e.getKey();
            RegexOperator rx = e.getValue();
            RegexDfa dfa = rx.dfa();
            if (dfa == null) {
                continue;
            }
            if (dfa.exact()) {
                exact++;
            } else {
                bounded++;
            }
            if (dfa.lazy()) {
                lazy++;
            }
            Set<String> inputs = new LinkedHashSet<>(seen.getOrDefault(pattern, Set.of()));
            for (int i = 0; i < CORPUS_SAMPLE && i < corpusList.size(); i++) {
                inputs.add(corpusList.get(random.nextInt(corpusList.size())));
            }
            inputs.add(pattern);
            Set<String> literals = rx.prefilter() == null ? Set.of() : rx.prefilter().literals();
            inputs.addAll(CrsPrefilterSoundnessTest.generated(pattern, literals, random));
            RegexSampler.Generator sampler = RegexSampler.of(pattern);
            for (int i = 0; sampler != null && i < 300; i++) {
                String s = sampler.next(random);
                inputs.add(CrsPrefilterSoundnessTest.mutate(s, random));
                inputs.add(CrsPrefilterSoundnessTest.mutate(s, random));
                inputs.add("\n" + s);
                inputs.add(s + "\n");
                inputs.add("a" + s + "_");
            }
            for (String input : inputs) {
                checked++;
                boolean expected = rx.pattern().matcher(input).find();
                int answer = dfa.search(input);
                if (expected) {
                    matched++;
                }
                if (answer == RegexDfa.UNKNOWN) {
                    unknown++;
                    continue;
                }
                boolean actual = answer == RegexDfa.YES;
                if (expected && !actual) {
                    violations.add(pattern + " DFA said no where RE2J matches: "
                            + CrsPrefilterSoundnessTest.abbreviate(input));
                } else if (!expected && actual) {
                    if (dfa.exact()) {
                        violations.add(pattern + " exact DFA said yes where RE2J does not match: "
                                + CrsPrefilterSoundnessTest.abbreviate(input));
                    } else {
                        boundedFalseYes++;
                    }
                }
            }
        }
        System.out.printf("CRS @rx patterns: %d, with a DFA: %d exact + %d bounded (%d lazy); report: %s%n",
                operators.size(), exact, bounded, lazy, report.summary());
        System.out.printf("DFA inputs checked: %d, RE2J matches among them: %d, bounded DFAs' extra yes: %d, "
                + "unknown (lazy DFA full): %d%n", checked, matched, boundedFalseYes, unknown);
        System.out.printf("regression replay: %d @rx calls, %d passed the prefilter, %d of those answered by the DFA "
                + "without RE2J (%.1f %%)%n", calls.sum(), reachedDfa.sum(), answeredByDfa.sum(),
                100.0 * answeredByDfa.sum() / Math.max(1, reachedDfa.sum()));
        assertThat(violations).as("DFA answers that differ from RE2J").isEmpty();
        assertThat(matched).as("the corpus exercises matches at all").isGreaterThan(10_000);
        assertThat(exact + bounded).as("patterns with a DFA").isGreaterThan(operators.size() / 2);
        assertThat(report.exactDfa()).isEqualTo(exact);
        assertThat(report.lazyDfa()).isEqualTo(lazy);
        assertThat(report.boundDfa()).isEqualTo(bounded);
    }
}
