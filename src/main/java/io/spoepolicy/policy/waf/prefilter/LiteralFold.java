package io.spoepolicy.policy.waf.prefilter;

/**
 * The case folding shared by the literal analysis and the scanner. Literals only ever hold ASCII
 * characters, lowercased, whether the regex is case-sensitive or not: the scan then accepts a
 * superset of what the regex can match, which keeps it sound without tracking {@code (?i)} scopes.
 * Under {@code (?i)} RE2J also matches U+017F (long s) for {@code s} and U+212A (Kelvin sign) for
 * {@code k}, the only non-ASCII members of ASCII letters' case orbits, so the scanner folds those
 * two as well.
 */
final class LiteralFold {

    static final char LONG_S = '\u017F';
    static final char KELVIN = '\u212A';

    private LiteralFold() {}

    /** The folded form of a regex literal character, or {@code -1} when it cannot be a literal. */
    static int literal(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c + ('a' - 'A');
        }
        return c < 128 ? c : -1;
    }

    /** The folded form of an input character: what a literal character must equal. */
    static char input(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + ('a' - 'A'));
        }
        if (c == LONG_S) {
            return 's';
        }
        if (c == KELVIN) {
            return 'k';
        }
        return c;
    }
}
