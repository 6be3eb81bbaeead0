package io.spoepolicy.policy.waf.prefilter;

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
     * The outcome for one pattern.
     *
     * @param literals the necessary literals (lowercase ASCII), or {@code null} when there is no
     *     useful prefilter and the regex must always run
     * @param reason why there is none ({@code null} when there is)
     */
    public record Analysis(Set<String> literals, String reason) {

        public boolean usable() {
            return literals != null;
        }
    }

    public static Analysis analyze(String pattern) {
        LiteralInfo info;
        try {
            info = LiteralParser.parse(pattern);
        } catch (UnsupportedRegexException e) {
            return new Analysis(null, "unsupported syntax: " + e.getMessage());
        } catch (RuntimeException e) {
            // A parser bug must cost only speed, never a missed match.
            return new Analysis(null, "analysis failed: " + e);
        }
        Set<String> best = info.factor();
        if (best.isEmpty() || best.contains("")) {
            return new Analysis(null, "no required literal");
        }
        for (String s : best) {
            if (s.length() < MIN_LITERAL) {
                return new Analysis(null, "a required literal is a single character");
            }
        }
        return new Analysis(Set.copyOf(best), null);
    }
}
