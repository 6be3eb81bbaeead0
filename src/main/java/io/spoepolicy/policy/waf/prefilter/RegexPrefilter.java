package io.spoepolicy.policy.waf.prefilter;

import java.util.Optional;
import java.util.Set;

/**
 * A cheap necessary condition for a regex to match: when {@link #mayMatch} is false the regex
 * cannot find a match in that input, so it need not run. Immutable and thread-safe.
 */
public final class RegexPrefilter {

    private final Set<String> literals;
    private final String absent;
    private final String skipped;
    private final LiteralScanner scanner;

    private RegexPrefilter(RegexLiterals.Analysis analysis) {
        this.literals = analysis.literals();
        this.absent = analysis.absent();
        this.skipped = analysis.skipped();
        java.util.List<String> scanned = new java.util.ArrayList<>(literals);
        // Values holding a character the analysis assumed absent must reach the regex.
        for (char c : absent.toCharArray()) {
            scanned.add(String.valueOf(c));
        }
        this.scanner = LiteralScanner.of(scanned, skipped);
    }

    /** The prefilter of a pattern in RE2 syntax, or empty when none is sound and useful. */
    public static Optional<RegexPrefilter> forPattern(String pattern) {
        RegexLiterals.Analysis a = RegexLiterals.analyze(pattern);
        return a.usable() ? Optional.of(new RegexPrefilter(a)) : Optional.empty();
    }

    /** False only when the regex cannot match anywhere in {@code input}. */
    public boolean mayMatch(String input) {
        return scanner.containsAny(input);
    }

    public Set<String> literals() {
        return literals;
    }

    /** Characters whose presence lets any value through (see {@link RegexLiterals.Analysis}). */
    public String absent() {
        return absent;
    }

    public String skipped() {
        return skipped;
    }

    @Override
    public String toString() {
        return "RegexPrefilter" + literals + (absent.isEmpty() ? "" : " or any of " + absent)
                + (skipped.isEmpty() ? "" : ", ignoring " + skipped);
    }
}
