package io.spoepolicy.policy.waf.regex.dfa;

import io.spoepolicy.policy.waf.regex.ClassSpec;
import io.spoepolicy.policy.waf.regex.Re2Reader;

/**
 * What a class or literal matches as RE2 defines it, between two bounds: equal when known exactly
 * (ASCII, Perl and POSIX classes, ranges without {@code (?i)} or whose folding is known), apart
 * for Unicode classes and case folding of other non-ASCII characters. The DFA uses the upper
 * bound, so it can only say "match" too often, never "no match" wrongly.
 */
record CharBounds(CodePointSet lower, CodePointSet upper) {

    private static final CodePointSet DIGIT = CodePointSet.range('0', '9');
    private static final CodePointSet SPACE = CodePointSet.of('\t', '\n', '\f', '\r', ' ');
    private static final CodePointSet WORD = CodePointSet.ofRanges(new int[] {'0', '9', 'A', 'Z', 'a', 'z', '_', '_'});

    static CharBounds exact(CodePointSet s) {
        return new CharBounds(s, s);
    }

    boolean isExact() {
        return lower.equals(upper);
    }

    CharBounds union(CharBounds o) {
        return new CharBounds(lower.union(o.lower), upper.union(o.upper));
    }

    CharBounds negate() {
        return new CharBounds(upper.complement(), lower.complement());
    }

    CharBounds fold() {
        return new CharBounds(CaseFold.lower(lower), CaseFold.upper(upper));
    }

    /** A literal under {@code flags}. */
    static CharBounds literal(int c, int flags) {
        CharBounds b = exact(CodePointSet.of(c));
        return (flags & Re2Reader.FOLD_CASE) != 0 ? b.fold() : b;
    }

    /**
     * A class as RE2 builds it: each member folded (under {@code (?i)}) as its positive set, then
     * negated if the member is ({@code \W}, {@code [:^alpha:]}), then the union, then the whole
     * class negated for {@code [^...]}.
     */
    static CharBounds of(ClassSpec spec, int flags) {
        boolean fold = (flags & Re2Reader.FOLD_CASE) != 0;
        CharBounds acc = exact(CodePointSet.EMPTY);
        for (ClassSpec.Item item : spec.items()) {
            CharBounds positive;
            boolean negated;
            if (item instanceof ClassSpec.Range r) {
                positive = exact(CodePointSet.range(r.lo(), r.hi()));
                negated = false;
            } else if (item instanceof ClassSpec.Perl perl) {
                char n = perl.name();
                char lowerName = Character.toLowerCase(n);
                positive = exact(lowerName == 'd' ? DIGIT : lowerName == 's' ? SPACE : WORD);
                negated = n != lowerName;
            } else if (item instanceof ClassSpec.Posix posix) {
                CodePointSet s = posix(posix.name());
                if (s == null) {
                    return unknown();
                }
                positive = exact(s);
                negated = posix.negated();
            } else {
                // Unicode tables: RE2J's version of them is not ours; bound by anything.
                return unknown();
            }
            if (fold) {
                positive = positive.fold();
            }
            acc = acc.union(negated ? positive.negate() : positive);
        }
        return spec.negated() ? acc.negate() : acc;
    }

    private static CharBounds unknown() {
        return new CharBounds(CodePointSet.EMPTY, CodePointSet.ALL);
    }

    /** RE2's POSIX classes (ASCII only). */
    private static CodePointSet posix(String name) {
        int[] r = switch (name) {
            case "alnum" -> new int[] {'0', '9', 'A', 'Z', 'a', 'z'};
            case "alpha" -> new int[] {'A', 'Z', 'a', 'z'};
            case "ascii" -> new int[] {0, 0x7F};
            case "blank" -> new int[] {'\t', '\t', ' ', ' '};
            case "cntrl" -> new int[] {0, 0x1F, 0x7F, 0x7F};
            case "digit" -> new int[] {'0', '9'};
            case "graph" -> new int[] {'!', '~'};
            case "lower" -> new int[] {'a', 'z'};
            case "print" -> new int[] {' ', '~'};
            case "punct" -> new int[] {'!', '/', ':', '@', '[', '`', '{', '~'};
            case "space" -> new int[] {'\t', '\r', ' ', ' '};
            case "upper" -> new int[] {'A', 'Z'};
            case "word" -> new int[] {'0', '9', 'A', 'Z', 'a', 'z', '_', '_'};
            case "xdigit" -> new int[] {'0', '9', 'A', 'F', 'a', 'f'};
            default -> null;
        };
        return r == null ? null : CodePointSet.ofRanges(r);
    }
}
