package io.spoepolicy.policy.waf.regex.dfa;

import io.spoepolicy.policy.waf.regex.ClassSpec;
import io.spoepolicy.policy.waf.regex.Re2Assertion;
import io.spoepolicy.policy.waf.regex.Re2Builder;
import io.spoepolicy.policy.waf.regex.Re2Reader;
import io.spoepolicy.policy.waf.regex.UnsupportedRegexException;
import java.util.ArrayList;
import java.util.List;

/**
 * A regex as a tree of code-point sets, assertions, concatenations, alternations and repeats:
 * what the NFA is compiled from. Built by {@link Builder} while {@link Re2Reader} reads.
 */
sealed interface RxTree {

    /** The empty string. */
    record Empty() implements RxTree {}

    /** One code point out of {@code set} (empty set: matches nothing). */
    record Chars(CodePointSet set) implements RxTree {}

    record Assert(Re2Assertion assertion) implements RxTree {}

    record Cat(List<RxTree> items) implements RxTree {}

    record Alt(List<RxTree> branches) implements RxTree {}

    /** {@code max < 0}: unbounded. */
    record Rep(RxTree x, int min, int max) implements RxTree {}

    RxTree EMPTY = new Empty();

    /**
     * Builds the tree with the upper bound of every class; {@link #exact()} tells whether every
     * class was known exactly (then the tree's language is the regex's).
     */
    final class Builder implements Re2Builder<RxTree> {

        private boolean exact = true;

        boolean exact() {
            return exact;
        }

        private RxTree chars(CharBounds b) {
            if (!b.isExact()) {
                exact = false;
            }
            return new Chars(b.upper());
        }

        @Override
        public RxTree empty() {
            return EMPTY;
        }

        @Override
        public RxTree literal(int codePoint, int flags) {
            return chars(CharBounds.literal(codePoint, flags));
        }

        @Override
        public RxTree anyChar(int flags) {
            return new Chars((flags & Re2Reader.DOT_NL) != 0 ? CodePointSet.ALL : CodePointSet.of('\n').complement());
        }

        @Override
        public RxTree charClass(ClassSpec spec, int flags) {
            return chars(CharBounds.of(spec, flags));
        }

        @Override
        public RxTree anyByte() throws UnsupportedRegexException {
            throw new UnsupportedRegexException("\\C");
        }

        @Override
        public RxTree assertion(Re2Assertion assertion) {
            return new Assert(assertion);
        }

        @Override
        public RxTree concat(RxTree first, RxTree second) {
            if (first instanceof Empty) {
                return second;
            }
            if (second instanceof Empty) {
                return first;
            }
            List<RxTree> items = new ArrayList<>();
            for (RxTree t : List.of(first, second)) {
                if (t instanceof Cat c) {
                    items.addAll(c.items());
                } else {
                    items.add(t);
                }
            }
            return new Cat(List.copyOf(items));
        }

        @Override
        public RxTree alternate(List<RxTree> branches) {
            return new Alt(List.copyOf(branches));
        }

        @Override
        public RxTree repeat(RxTree x, int min, int max) throws UnsupportedRegexException {
            if (min > 1000 || max > 1000) {
                throw new UnsupportedRegexException("repeat count above RE2's 1000");
            }
            return new Rep(x, min, max);
        }
    }
}
