package io.spoepolicy.policy.waf.regex.dfa;

import io.spoepolicy.policy.waf.regex.Re2Assertion;
import io.spoepolicy.policy.waf.regex.UnsupportedRegexException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Thompson NFA over code points, compiled back to front from an {@link RxTree}: each state is a
 * character set with one successor, a split (epsilon to several), an assertion with one
 * successor, or the match state.
 */
final class Nfa {

    static final int CHARS = 0;
    static final int SPLIT = 1;
    static final int ASSERT = 2;
    static final int MATCH = 3;

    final int[] kind;
    final int[] out;
    final int[][] split;
    final CodePointSet[] sets;
    final Re2Assertion[] assertions;
    final int start;

    private Nfa(Compiler c, int start) {
        int n = c.kind.size();
        this.kind = new int[n];
        this.out = new int[n];
        this.split = new int[n][];
        this.sets = new CodePointSet[n];
        this.assertions = new Re2Assertion[n];
        for (int i = 0; i < n; i++) {
            kind[i] = c.kind.get(i);
            out[i] = c.out.get(i);
            split[i] = c.split.get(i);
            sets[i] = c.sets.get(i);
            assertions[i] = c.assertions.get(i);
        }
        this.start = start;
    }

    int size() {
        return kind.length;
    }

    boolean uses(Re2Assertion a) {
        return Arrays.asList(assertions).contains(a);
    }

    /** Compiles {@code tree}; refuses beyond {@code maxStates} NFA states. */
    static Nfa compile(RxTree tree, int maxStates) throws UnsupportedRegexException {
        Compiler c = new Compiler(maxStates);
        int match = c.add(MATCH, -1, null, null, null);
        return new Nfa(c, c.compile(tree, match));
    }

    private static final class Compiler {
        final List<Integer> kind = new ArrayList<>();
        final List<Integer> out = new ArrayList<>();
        final List<int[]> split = new ArrayList<>();
        final List<CodePointSet> sets = new ArrayList<>();
        final List<Re2Assertion> assertions = new ArrayList<>();
        final int maxStates;

        Compiler(int maxStates) {
            this.maxStates = maxStates;
        }

        int add(int k, int o, int[] s, CodePointSet set, Re2Assertion a) throws UnsupportedRegexException {
            if (kind.size() >= maxStates) {
                throw new UnsupportedRegexException("NFA above " + maxStates + " states");
            }
            kind.add(k);
            out.add(o);
            split.add(s);
            sets.add(set);
            assertions.add(a);
            return kind.size() - 1;
        }

        /** The start state of {@code t} followed by {@code next}. */
        int compile(RxTree t, int next) throws UnsupportedRegexException {
            if (t instanceof RxTree.Empty) {
                return next;
            }
            if (t instanceof RxTree.Chars c) {
                return add(CHARS, next, null, c.set(), null);
            }
            if (t instanceof RxTree.Assert a) {
                return add(ASSERT, next, null, null, a.assertion());
            }
            if (t instanceof RxTree.Cat cat) {
                int s = next;
                for (int i = cat.items().size() - 1; i >= 0; i--) {
                    s = compile(cat.items().get(i), s);
                }
                return s;
            }
            if (t instanceof RxTree.Alt alt) {
                int[] starts = new int[alt.branches().size()];
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = compile(alt.branches().get(i), next);
                }
                return add(SPLIT, -1, starts, null, null);
            }
            RxTree.Rep rep = (RxTree.Rep) t;
            int s;
            if (rep.max() < 0) {
                // x*: a split looping through x back to itself.
                int loop = add(SPLIT, -1, null, null, null);
                int body = compile(rep.x(), loop);
                split.set(loop, new int[] {body, next});
                s = loop;
            } else {
                s = next;
                for (int i = rep.min(); i < rep.max(); i++) {
                    // Each optional copy leads to the rest of the optional chain, or skips it all.
                    s = add(SPLIT, -1, new int[] {compile(rep.x(), s), next}, null, null);
                }
            }
            for (int i = 0; i < rep.min(); i++) {
                s = compile(rep.x(), s);
            }
            return s;
        }
    }
}
