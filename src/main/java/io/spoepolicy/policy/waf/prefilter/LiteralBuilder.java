package io.spoepolicy.policy.waf.prefilter;

import io.spoepolicy.policy.waf.regex.ClassSpec;
import io.spoepolicy.policy.waf.regex.Re2Assertion;
import io.spoepolicy.policy.waf.regex.Re2Builder;
import io.spoepolicy.policy.waf.regex.Re2Reader;
import io.spoepolicy.policy.waf.regex.UnsupportedRegexException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes a regex's {@link LiteralInfo} bottom-up as {@link Re2Reader} reads it. Ignores the
 * flags on purpose: literals are ASCII folded to lowercase whatever {@code (?i)} says (see
 * {@link LiteralFold}), and assertions are treated as the empty string, both supersets.
 */
final class LiteralBuilder implements Re2Builder<LiteralInfo> {

    /** Classes with more (folded) characters than this count as "any character". */
    static final int MAX_CLASS = 10;

    private final Assumption assumption;

    private LiteralBuilder(Assumption assumption) {
        this.assumption = assumption;
    }

    static LiteralInfo parse(String pattern, Assumption assumption) throws UnsupportedRegexException {
        return Re2Reader.read(pattern, new LiteralBuilder(assumption), Re2Reader.DOT_NL);
    }

    @Override
    public LiteralInfo empty() {
        return LiteralInfo.EMPTY;
    }

    /** A literal character: ASCII becomes a folded literal, anything else one unknown character. */
    @Override
    public LiteralInfo literal(int c, int flags) {
        int f = LiteralFold.literal(c);
        return f < 0 ? LiteralInfo.ANY : oneOf(Set.of((char) f));
    }

    @Override
    public LiteralInfo anyChar(int flags) {
        return LiteralInfo.ANY;
    }

    @Override
    public LiteralInfo anyByte() {
        return LiteralInfo.ANY;
    }

    @Override
    public LiteralInfo assertion(Re2Assertion assertion) {
        return LiteralInfo.EMPTY;
    }

    @Override
    public LiteralInfo concat(LiteralInfo first, LiteralInfo second) {
        return LiteralInfo.concat(first, second);
    }

    @Override
    public LiteralInfo alternate(List<LiteralInfo> branches) {
        return LiteralInfo.alternate(branches);
    }

    @Override
    public LiteralInfo repeat(LiteralInfo x, int min, int max) {
        return LiteralInfo.repeat(x, min, max);
    }

    /** Small classes become their folded characters; negated or large ones any character. */
    @Override
    public LiteralInfo charClass(ClassSpec spec, int flags) {
        Set<Character> set = new TreeSet<>();
        boolean large = false;
        for (ClassSpec.Item item : spec.items()) {
            if (item instanceof ClassSpec.Perl perl) {
                Set<Character> chars = perlClass(perl.name());
                if (chars == null) {
                    large = true;
                } else {
                    set.addAll(chars);
                }
            } else if (item instanceof ClassSpec.Range r) {
                if (r.hi() - r.lo() >= 128) {
                    large = true;
                } else {
                    for (int x = r.lo(); x <= r.hi() && !large; x++) {
                        int f = LiteralFold.literal(x);
                        if (f < 0) {
                            large = true;
                        } else {
                            set.add((char) f);
                        }
                    }
                }
            } else {
                // POSIX and Unicode classes: large for our purposes.
                large = true;
            }
        }
        if (spec.negated() || large || set.isEmpty()) {
            return LiteralInfo.ANY;
        }
        return oneOf(set);
    }

    /** Perl classes as RE2 defines them; the negated ones are "large" ({@code null}). */
    private static Set<Character> perlClass(char c) {
        return switch (c) {
            case 'd' -> chars("0123456789");
            case 's' -> chars("\t\n\f\r ");
            default -> null;
        };
    }

    private static Set<Character> chars(String s) {
        Set<Character> out = new TreeSet<>();
        for (int i = 0; i < s.length(); i++) {
            out.add(s.charAt(i));
        }
        return out;
    }

    /**
     * One character of {@code set} (folded), under the assumption: absent characters cannot be
     * matched, skipped ones match as the empty string.
     */
    private LiteralInfo oneOf(Set<Character> set) {
        Set<Character> kept = new TreeSet<>();
        boolean skippable = false;
        for (char c : set) {
            if (assumption.isSkipped(c)) {
                skippable = true;
            } else if (!assumption.isAbsent(c)) {
                kept.add(c);
            }
        }
        if (kept.size() > MAX_CLASS) {
            return LiteralInfo.ANY;
        }
        LiteralInfo one = LiteralInfo.oneOf(kept);
        return skippable ? LiteralInfo.alternate(List.of(one, LiteralInfo.EMPTY)) : one;
    }
}
