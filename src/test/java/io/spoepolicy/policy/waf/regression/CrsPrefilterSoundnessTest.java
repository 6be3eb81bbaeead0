package io.spoepolicy.policy.waf.regression;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoepolicy.policy.waf.CrsTestSupport;
import io.spoepolicy.policy.waf.RuleOperators;
import io.spoepolicy.policy.waf.WafRules;
import io.spoepolicy.policy.waf.WafRulesLoader;
import io.spoepolicy.policy.waf.operator.OperatorContext;
import io.spoepolicy.policy.waf.operator.RegexOperator;
import io.spoepolicy.policy.waf.prefilter.RegexLiterals;
import io.spoepolicy.policy.waf.prefilter.RegexPrefilter;
import io.spoepolicy.policy.waf.prefilter.RegexSampler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The {@code @rx} prefilter is sound on every regex of the CRS: whenever RE2J finds a match, the
 * prefilter lets the value through. Inputs per pattern: every value that pattern really saw while
 * the CRS regression suite replayed (after the rule's transformations), a sample of every value
 * any pattern saw plus the raw test payloads, the pattern text itself, and random strings shaped
 * by the pattern and by its literals (case flips, long s, Kelvin sign, near misses).
 */
class CrsPrefilterSoundnessTest {

    private static final int CORPUS_SAMPLE = 1500;
    private static final int GENERATED = 300;

    @Test
    void prefilterPassesEveryValueTheRegexMatches() throws IOException {
        Path crs = CrsTestSupport.crs();
        WafRules rules = WafRulesLoader.crs(crs, List.of());
        Map<String, RegexOperator> operators = new LinkedHashMap<>();
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        LongAdder calls = new LongAdder();
        LongAdder skipped = new LongAdder();
        RuleOperators.wrapAll(rules, op -> {
            if (!(op instanceof RegexOperator rx)) {
                return op;
            }
            String pattern = rx.pattern().pattern();
            operators.putIfAbsent(pattern, rx);
            Set<String> values = seen.computeIfAbsent(pattern, k -> new LinkedHashSet<>());
            return (String input, OperatorContext ctx) -> {
                values.add(input);
                calls.increment();
                if (rx.prefilter() != null && !rx.prefilter().mayMatch(input)) {
                    skipped.increment();
                }
                return rx.matches(input, ctx);
            };
        });

        List<String> corpusList = CrsReplayCorpus.replay(crs, rules, seen.values());

        List<String> violations = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        int covered = 0;
        int underAssumption = 0;
        long checked = 0;
        long matched = 0;
        Random random = new Random(20261125);
        for (Map.Entry<String, RegexOperator> e : operators.entrySet()) {
            String pattern = e.getKey();
            RegexOperator rx = e.getValue();
            RegexPrefilter prefilter = rx.prefilter();
            if (prefilter == null) {
                reasons.merge(RegexLiterals.analyze(pattern).reason().replaceAll(" \\\\.*| \\(\\?.*", ""), 1,
                        Integer::sum);
                continue;
            }
            covered++;
            if (!prefilter.absent().isEmpty()) {
                underAssumption++;
            }
            Set<String> inputs = new LinkedHashSet<>(seen.getOrDefault(pattern, Set.of()));
            for (int i = 0; i < CORPUS_SAMPLE && i < corpusList.size(); i++) {
                inputs.add(corpusList.get(random.nextInt(corpusList.size())));
            }
            inputs.add(pattern);
            inputs.addAll(generated(pattern, prefilter.literals(), random));
            for (String input : inputs) {
                checked++;
                if (rx.pattern().matcher(input).find()) {
                    matched++;
                    if (!prefilter.mayMatch(input)) {
                        violations.add(pattern + " " + prefilter.literals() + " rejected matching input: "
                                + abbreviate(input));
                    }
                }
            }
        }
        System.out.printf("CRS @rx patterns: %d, with a prefilter: %d (%d of them under the evasion "
                + "assumption), without: %d %s%n", operators.size(), covered, underAssumption,
                operators.size() - covered, reasons);
        System.out.printf("inputs checked: %d, RE2J matches among them: %d%n", checked, matched);
        System.out.printf("regression replay: %d @rx calls, %d skipped by the prefilter (%.1f %%)%n",
                calls.sum(), skipped.sum(), 100.0 * skipped.sum() / Math.max(1, calls.sum()));
        assertThat(violations).as("prefilter rejected values RE2J matches").isEmpty();
        assertThat(matched).as("the corpus exercises matches at all").isGreaterThan(10_000);
        assertThat(covered).as("patterns with a prefilter").isGreaterThan(operators.size() / 3);
    }

    /**
     * Lists every CRS {@code @rx} pattern with its literals or the reason it has none, in
     * {@code target/prefilter-patterns.txt}, for tuning the analysis.
     */
    @Test
    void writesPatternReport() throws IOException {
        WafRules rules = WafRulesLoader.crs(CrsTestSupport.crs(), List.of());
        Map<String, String> lines = new TreeMap<>();
        RuleOperators.wrapAll(rules, op -> {
            if (op instanceof RegexOperator rx) {
                RegexLiterals.Analysis a = RegexLiterals.analyze(rx.pattern().pattern());
                lines.put(rx.pattern().pattern(), a.usable() ? "OK " + a.literals().size() + " " + a.literals()
                        + (a.absent().isEmpty() ? "" : " or any of " + a.absent() + " skipping " + a.skipped())
                        : "NO " + a.reason());
            }
            return op;
        });
        StringBuilder b = new StringBuilder();
        lines.forEach((pattern, result) -> b.append(result).append("\n    ").append(pattern).append("\n"));
        java.nio.file.Files.createDirectories(Path.of("target"));
        java.nio.file.Files.writeString(Path.of("target/prefilter-patterns.txt"), b);
        assertThat(lines).isNotEmpty();
    }

    /** Strings built from the pattern's shape and from its literals, with near misses. */
    static List<String> generated(String pattern, Set<String> literals, Random random) {
        List<String> out = new ArrayList<>();
        RegexSampler.Generator sampler = RegexSampler.of(pattern);
        if (sampler != null) {
            for (int i = 0; i < GENERATED; i++) {
                String s = sampler.next(random);
                out.add(s);
                out.add("xx " + s + " yy");
            }
        }
        List<String> pieces = new ArrayList<>(literals);
        for (String token : pattern.split("[^A-Za-z0-9_/.<>:;=&%@!~-]+")) {
            if (!token.isEmpty()) {
                pieces.add(token);
            }
        }
        if (pieces.isEmpty()) {
            return out;
        }
        String[] glue = {"", " ", "'", "\"", "(", ")", "\t", "/", "=", "\\", "%20", "\n", ";", "-", "<", ">"};
        for (int i = 0; i < GENERATED; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(4);
            for (int k = 0; k < n; k++) {
                String piece = pieces.get(random.nextInt(pieces.size()));
                b.append(glue[random.nextInt(glue.length)]).append(mutate(piece, random));
            }
            out.add(b.toString());
        }
        return out;
    }

    static String mutate(String s, Random random) {
        StringBuilder b = new StringBuilder(s);
        switch (random.nextInt(6)) {
            case 0 -> {
                for (int i = 0; i < b.length(); i++) {
                    if (random.nextBoolean()) {
                        b.setCharAt(i, Character.toUpperCase(b.charAt(i)));
                    }
                }
            }
            case 1 -> {
                for (int i = 0; i < b.length(); i++) {
                    if (b.charAt(i) == 's') {
                        b.setCharAt(i, '\u017F');
                    } else if (b.charAt(i) == 'k') {
                        b.setCharAt(i, '\u212A');
                    }
                }
            }
            case 2 -> {
                if (b.length() > 1) {
                    b.deleteCharAt(random.nextInt(b.length()));
                }
            }
            case 3 -> b.insert(random.nextInt(b.length() + 1), " ");
            case 4 -> b.insert(random.nextInt(b.length() + 1), ")".repeat(1 + random.nextInt(3)));
            default -> {
            }
        }
        return b.toString();
    }

    static String abbreviate(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return t.replace("\n", "\\n").replace("\r", "\\r");
    }
}
