package io.spoepolicy.policy.waf.prefilter;

import io.spoepolicy.policy.waf.regex.UnsupportedRegexException;
import java.util.Set;

/**
 * Necessary literals of a regex: a set such that every string the regex matches (anywhere in an
 * input) contains one of them, case-folded as {@link LiteralFold} describes. Factor analysis in
 * the manner of RE2's and codesearch's prefilters: each node's exact/prefix/suffix/inner sets,
 * cross products while bounded, unions for alternatives, optional parts contributing nothing.
 */
public final class RegexLiterals {

    /** Literals shorter than this are not worth a scan: almost every value has them. */
    public static final int MIN_LITERAL = 2;

    private RegexLiterals() {}

    /**
     * The outcome for one pattern: a value can only match if it contains one of {@code literals}
     * (after deleting the {@code skipped} characters) or one of the {@code absent} characters.
     *
     * @param literals the necessary literals (lowercase ASCII), or {@code null} when there is no
     *     useful prefilter and the regex must always run
     * @param absent characters the analysis assumed absent: any value holding one must run the regex
     * @param skipped characters the analysis assumed deleted from the value
     * @param reason why there is no prefilter ({@code null} when there is)
     */
    public record Analysis(Set<String> literals, String absent, String skipped, String reason) {

        public boolean usable() {
            return literals != null;
        }
    }

    /**
     * Plain necessary literals when there are, else literals under {@link Assumption#EVASION},
     * else under {@link Assumption#EVASION_STRICT}.
     */
    public static Analysis analyze(String pattern) {
        Analysis plain = analyze(pattern, Assumption.NONE);
        if (plain.usable() || plain.reason().startsWith("unsupported")
                || plain.reason().startsWith("analysis failed")) {
            return plain;
        }
        for (Assumption assumption : new Assumption[] {Assumption.EVASION, Assumption.EVASION_STRICT}) {
            Analysis a = analyze(pattern, assumption);
            if (a.usable()) {
                return a;
            }
        }
        return plain;
    }

    static Analysis analyze(String pattern, Assumption assumption) {
        LiteralInfo info;
        try {
            info = LiteralBuilder.parse(pattern, assumption);
        } catch (UnsupportedRegexException e) {
            return none("unsupported syntax: " + e.getMessage());
        } catch (RuntimeException e) {
            // A parser bug must cost only speed, never a missed match.
            return none("analysis failed: " + e);
        }
        Set<String> best = info.factor();
        if (best.isEmpty() || best.contains("")) {
            return none("no required literal");
        }
        for (String s : best) {
            if (s.length() < MIN_LITERAL) {
                return none("a required literal is a single character");
            }
        }
        return new Analysis(Set.copyOf(best), assumption.absent(), assumption.skipped(), null);
    }

    private static Analysis none(String reason) {
        return new Analysis(null, "", "", reason);
    }
}
