package io.spoepolicy.policy.waf.prefilter;

import java.util.Optional;
import java.util.Set;

/**
 * A cheap necessary condition for a regex to match: when {@link #mayMatch} is false the regex
 * cannot find a match in that input, so it need not run. Immutable and thread-safe.
 */
public final class RegexPrefilter {

    private final Set<String> literals;
    private final LiteralScanner scanner;

    private RegexPrefilter(Set<String> literals) {
        this.literals = literals;
        this.scanner = LiteralScanner.of(literals);
    }

    /** The prefilter of a pattern in RE2 syntax, or empty when none is sound and useful. */
    public static Optional<RegexPrefilter> forPattern(String pattern) {
        RegexLiterals.Analysis a = RegexLiterals.analyze(pattern);
        return a.usable() ? Optional.of(new RegexPrefilter(a.literals())) : Optional.empty();
    }

    /** False only when the regex cannot match anywhere in {@code input}. */
    public boolean mayMatch(String input) {
        return scanner.containsAny(input);
    }

    public Set<String> literals() {
        return literals;
    }

    @Override
    public String toString() {
        return "RegexPrefilter" + literals;
    }
}
