package io.spoepolicy.policy.waf.regex.dfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoepolicy.observability.WafRegexDfaMetrics;
import io.spoepolicy.policy.waf.operator.OperatorContext;
import io.spoepolicy.policy.waf.operator.RegexOperator;
import io.spoepolicy.policy.waf.regex.Re2Reader;
import io.spoepolicy.policy.waf.rules.Macro;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link LazyDfa}'s clear-and-rebuild: forced to a bound of a few states, it keeps answering like
 * RE2J's {@code find()} across many resets, from several threads at once, and a pattern that
 * thrashes is left to RE2J for a while, then tried again.
 */
class LazyDfaResetTest {

    /** Exponential when determinized: the last seven a/b characters are the state. */
    private static final String REGEX = "(?i)(?:a|b)*a(?:a|b){6}x";
    private static final Pattern PATTERN = Pattern.compile(REGEX, Pattern.DOTALL);
    /** About 16 states of this pattern. */
    private static final long TINY_BOUND = 16 * (4L * 20 + 200) + 1000;
    private static final OperatorContext NO_CAPTURE = new OperatorContext() {
        @Override
        public String expand(Macro parameter) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean captureEnabled() {
            return false;
        }

        @Override
        public void capture(int index, String value) {
            throw new UnsupportedOperationException();
        }
    };

    private static LazyDfa tiny(LazyDfaStats stats) {
        RegexDfa dfa = DfaCompiler.compile(REGEX, Re2Reader.DOT_NL, 1, TINY_BOUND, stats).dfa();
        assertThat(dfa).isInstanceOf(LazyDfa.class);
        return (LazyDfa) dfa;
    }

    /**
     * Long values, each with a short burst of a/b characters (new states) late in filler the
     * cache already knows: at least 200 bytes per cache of 16 states, so the cache resets without
     * ever giving up, whichever thread fills it.
     */
    private static String benign(Random random) {
        StringBuilder b = new StringBuilder();
        int len = 300 + random.nextInt(200);
        int burst = 200 + random.nextInt(len - 220);
        for (int i = 0; i < len; i++) {
            if (i >= burst && i < burst + 8) {
                b.append("abAB".charAt(random.nextInt(4)));
            } else {
                b.append(i % 37 == 0 ? 'x' : ' ');
            }
        }
        if (random.nextInt(4) == 0) {
            b.insert(burst + 8 > b.length() ? b.length() : burst + 8, "abababax");
        }
        return b.toString();
    }

    @Test
    void keepsAnsweringLikeRe2jAcrossResetsFromSeveralThreads() throws Exception {
        LazyDfaStats stats = new LazyDfaStats();
        LazyDfa dfa = tiny(stats);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    int matches = 0;
                    for (int i = 0; i < 3000; i++) {
                        String input = benign(random);
                        boolean expected = PATTERN.matcher(input).find();
                        int answer = dfa.search(input);
                        // A give-up (UNKNOWN, RE2J answers) is possible here: the thrashing rule
                        // counts a scan's bytes when it ends, and four threads interleave their
                        // scans as the scheduler likes. Single-threaded, the last test of this class shows
                        // benign values never give up; here every answer given must be right.
                        if (answer != RegexDfa.UNKNOWN) {
                            assertThat(answer).as("%s on %s", dfa, input)
                                    .isEqualTo(expected ? RegexDfa.YES : RegexDfa.NO);
                        }
                        matches += expected ? 1 : 0;
                    }
                    return new int[] {matches};
                }));
            }
            int matches = 0;
            for (Future<int[]> f : results) {
                matches += f.get(60, TimeUnit.SECONDS)[0];
            }
            assertThat(matches).as("inputs that match").isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(stats.resets()).as("resets").isGreaterThan(50);
        assertThat(dfa.usedBytes()).isLessThanOrEqualTo(dfa.tableBytes());
    }

    @Test
    void thrashingPatternIsLeftToRe2jThenTriedAgain() {
        LazyDfaStats stats = new LazyDfaStats();
        LazyDfa dfa = tiny(stats);
        RegexOperator operator = new RegexOperator(PATTERN, null, dfa);
        Random random = new Random(11);
        int unknown = 0;
        // Short random a/b values: nearly every character needs a state the cache lacks.
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 4 + random.nextInt(12); k > 0; k--) {
                b.append("abAx".charAt(random.nextInt(4)));
            }
            String input = b.toString();
            boolean expected = PATTERN.matcher(input).find();
            int answer = dfa.search(input);
            if (answer == RegexDfa.UNKNOWN) {
                unknown++;
            } else {
                assertThat(answer == RegexDfa.YES).as(input).isEqualTo(expected);
            }
            assertThat(operator.matches(input, NO_CAPTURE)).as(input).isEqualTo(expected);
        }
        assertThat(stats.givenUp()).as("given up").isPositive();
        assertThat(dfa.re2jOnly()).isTrue();
        assertThat(stats.re2jOnlyNow()).isEqualTo(1);
        // What dashboards see of it.
        MeterRegistry registry = new SimpleMeterRegistry();
        new WafRegexDfaMetrics(() -> stats).bindTo(registry);
        assertThat(registry.get("spoe.waf.regex.dfa.resets").functionCounter().count()).isEqualTo(stats.resets());
        assertThat(registry.get("spoe.waf.regex.dfa.given.up").functionCounter().count()).isEqualTo(stats.givenUp());
        assertThat(registry.get("spoe.waf.regex.dfa.re2j.only").gauge().value()).isEqualTo(1);
        assertThat(unknown).isPositive();
        // A megabyte of ordinary values later the DFA answers again.
        String quiet = " ".repeat(4096) + "abababax";
        for (int i = 0; i <= LazyDfa.FIRST_PAUSE_BYTES / quiet.length() + 1; i++) {
            operator.matches(quiet, NO_CAPTURE);
        }
        assertThat(dfa.re2jOnly()).isFalse();
        assertThat(stats.re2jOnlyNow()).isZero();
        assertThat(registry.get("spoe.waf.regex.dfa.re2j.only").gauge().value()).isZero();
        assertThat(dfa.search(quiet)).isEqualTo(RegexDfa.YES);
        assertThat(dfa.search(quiet.substring(1, 4096))).isEqualTo(RegexDfa.NO);
    }

    /** A scan that fills the cache goes on in the new one from the state of the same key. */
    @Test
    void aScanCarriedOverResetsAnswersAsWithoutThem() {
        LazyDfaStats stats = new LazyDfaStats();
        LazyDfa dfa = tiny(stats);
        Random random = new Random(5);
        int matches = 0;
        // Each value alone needs more states than a cache holds: the scan resets midway and goes on.
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 400; k++) {
                b.append(k % 200 >= 190 ? "abAB".charAt(random.nextInt(4)) : ' ');
                if (k == 397 && random.nextBoolean()) {
                    b.append("x");
                }
            }
            String input = b.toString();
            boolean expected = PATTERN.matcher(input).find();
            matches += expected ? 1 : 0;
            assertThat(dfa.search(input)).as(input).isEqualTo(expected ? RegexDfa.YES : RegexDfa.NO);
        }
        assertThat(matches).isPositive();
        assertThat(stats.resets()).isGreaterThan(150);
        assertThat(stats.givenUp()).isZero();
    }
}
