package io.spoepolicy.policy.waf.regex.dfa;

/**
 * RE2's {@code (?i)} on a set of code points, known exactly for the characters whose case orbit
 * touches ASCII: the 52 letters, plus U+017F (long s, folds with {@code s}) and U+212A (Kelvin
 * sign, folds with {@code k}). Any other character's orbit is not modelled: its folded set is
 * bounded by "every non-ASCII code point" (no other non-ASCII character folds to ASCII, which
 * {@code RegexDfaTest} checks against RE2J over all code points), so callers keep a lower and an
 * upper bound and know when they differ.
 */
final class CaseFold {

    static final int LONG_S = 0x17F;
    static final int KELVIN = 0x212A;

    private CaseFold() {}

    /** The folded set, exact on the characters above: a lower bound of RE2's. */
    static CodePointSet lower(CodePointSet s) {
        CodePointSet out = s;
        for (int c = 'a'; c <= 'z'; c++) {
            int upper = c - 'a' + 'A';
            if (s.contains(c) || s.contains(upper) || (c == 's' && s.contains(LONG_S))
                    || (c == 'k' && s.contains(KELVIN))) {
                out = out.union(orbit(c));
            }
        }
        return out;
    }

    /** An upper bound of RE2's folded set. */
    static CodePointSet upper(CodePointSet s) {
        CodePointSet out = lower(s);
        CodePointSet other = CodePointSet.range(0x80, CodePointSet.MAX)
                .complement().union(CodePointSet.of(LONG_S, KELVIN)).complement();
        if (intersects(s, other)) {
            out = out.union(CodePointSet.range(0x80, CodePointSet.MAX));
        }
        return out;
    }

    private static boolean intersects(CodePointSet a, CodePointSet b) {
        int[] r = b.ranges();
        for (int i = 0; i < r.length; i += 2) {
            if (a.intersects(r[i], r[i + 1])) {
                return true;
            }
        }
        return false;
    }

    private static CodePointSet orbit(int lowerAscii) {
        int upper = lowerAscii - 'a' + 'A';
        if (lowerAscii == 's') {
            return CodePointSet.of('s', 'S', LONG_S);
        }
        if (lowerAscii == 'k') {
            return CodePointSet.of('k', 'K', KELVIN);
        }
        return CodePointSet.of(lowerAscii, upper);
    }
}
