package io.spoepolicy.policy.waf.regex.dfa;

import io.spoepolicy.policy.waf.regex.Re2Assertion;
import io.spoepolicy.policy.waf.regex.Re2Reader;
import io.spoepolicy.policy.waf.regex.UnsupportedRegexException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Subset construction from the {@link Nfa}, eager and bounded, the way RE2's DFA handles
 * assertions: a DFA state is the set of NFA states waiting for the next character plus what is
 * known about the previous one (start of text, newline, word character); the assertions are
 * resolved when the next character (or the end) is seen. Every step re-adds the NFA start: that
 * is the unanchored search, and the first position where the match state is reached ends it.
 */
public final class DfaCompiler {

    private static final int CTX_START = 1;
    private static final int CTX_PREV_NL = 2;
    private static final int CTX_PREV_WORD = 4;

    private static final int AT_BOT = 1;
    private static final int AT_BOL = 2;
    private static final int AT_EOT = 4;
    private static final int AT_EOL = 8;
    private static final int AT_WORD_BOUNDARY = 16;

    /** NFA size bound: big alternations of long words stay far below it. */
    private static final int MAX_NFA_STATES = 50_000;

    private final Nfa nfa;
    private final int[] boundaries;
    private final boolean trackNewline;
    private final boolean trackWord;
    private final int[] stamp;
    private int generation;

    /** The outcome: a DFA, or why there is none. */
    public record Result(RegexDfa dfa, String reason) {}

    private DfaCompiler(Nfa nfa) {
        this.nfa = nfa;
        this.boundaries = alphabet(nfa);
        this.trackNewline = nfa.uses(Re2Assertion.BEGIN_LINE);
        this.trackWord = nfa.uses(Re2Assertion.WORD_BOUNDARY) || nfa.uses(Re2Assertion.NOT_WORD_BOUNDARY);
        this.stamp = new int[nfa.size()];
    }

    /**
     * The DFA of {@code pattern} (RE2 syntax, already accepted by RE2J) compiled with
     * {@code flags} ({@link Re2Reader} bits), or the reason there is none: syntax not modelled,
     * or more than {@code maxStates} DFA states.
     */
    public static Result compile(String pattern, int flags, int maxStates) {
        try {
            RxTree.Builder builder = new RxTree.Builder();
            RxTree tree = Re2Reader.read(pattern, builder, flags);
            Nfa nfa = Nfa.compile(tree, MAX_NFA_STATES);
            return new Result(new DfaCompiler(nfa).build(Math.min(maxStates, RegexDfa.MAX_STATES), builder.exact()), null);
        } catch (UnsupportedRegexException e) {
            return new Result(null, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // A bug here must cost only speed, never a wrong answer.
            return new Result(null, "compilation failed: " + e);
        }
    }

    private record Key(int[] nfaStates, int context) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.context == context && Arrays.equals(k.nfaStates, nfaStates);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nfaStates) * 31 + context;
        }
    }

    private RegexDfa build(int maxStates, boolean exact) throws UnsupportedRegexException {
        int classes = boundaries.length;
        Map<Key, Integer> ids = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        Key initial = new Key(new int[] {nfa.start}, CTX_START);
        ids.put(initial, 0);
        keys.add(initial);
        work.add(0);
        List<int[]> rows = new ArrayList<>();
        List<Boolean> accept = new ArrayList<>();
        while (!work.isEmpty()) {
            int id = work.poll();
            Key key = keys.get(id);
            int[] row = new int[classes];
            for (int cls = 0; cls < classes; cls++) {
                int c = boundaries[cls];
                int at = atFlags(key.context, c);
                List<Integer> closed = new ArrayList<>();
                if (closure(key.nfaStates, at, closed)) {
                    row[cls] = -1;
                    continue;
                }
                TreeSet<Integer> next = new TreeSet<>();
                next.add(nfa.start);
                for (int q : closed) {
                    if (nfa.sets[q].contains(c)) {
                        next.add(nfa.out[q]);
                    }
                }
                int context = (c == '\n' && trackNewline ? CTX_PREV_NL : 0) | (isWord(c) && trackWord ? CTX_PREV_WORD : 0);
                Key k = new Key(next.stream().mapToInt(Integer::intValue).toArray(), context);
                Integer target = ids.get(k);
                if (target == null) {
                    if (keys.size() >= maxStates) {
                        throw new UnsupportedRegexException("DFA above " + maxStates + " states");
                    }
                    target = keys.size();
                    ids.put(k, target);
                    keys.add(k);
                    work.add(target);
                }
                row[cls] = target;
            }
            while (rows.size() <= id) {
                rows.add(null);
                accept.add(false);
            }
            rows.set(id, row);
            accept.set(id, closure(key.nfaStates, endFlags(key.context), new ArrayList<>()));
        }
        return table(rows, accept, exact);
    }

    /** Tables, with every state that can no longer reach a match turned into {@code DEAD}. */
    private RegexDfa table(List<int[]> rows, List<Boolean> accept, boolean exact) {
        int n = rows.size();
        int classes = boundaries.length;
        List<List<Integer>> predecessors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            predecessors.add(new ArrayList<>());
        }
        boolean[] live = new boolean[n];
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int s = 0; s < n; s++) {
            for (int t : rows.get(s)) {
                if (t >= 0) {
                    predecessors.get(t).add(s);
                } else if (!live[s]) {
                    live[s] = true;
                    work.add(s);
                }
            }
            if (accept.get(s) && !live[s]) {
                live[s] = true;
                work.add(s);
            }
        }
        while (!work.isEmpty()) {
            for (int p : predecessors.get(work.poll())) {
                if (!live[p]) {
                    live[p] = true;
                    work.add(p);
                }
            }
        }
        char[] table = new char[n * classes];
        boolean[] acceptAtEnd = new boolean[n];
        for (int s = 0; s < n; s++) {
            int[] row = rows.get(s);
            for (int cls = 0; cls < classes; cls++) {
                int t = row[cls];
                table[s * classes + cls] = t < 0 ? RegexDfa.MATCH : live[t] ? (char) t : RegexDfa.DEAD;
            }
            acceptAtEnd[s] = accept.get(s);
        }
        return new RegexDfa(table, classes, boundaries, acceptAtEnd, exact);
    }

    /** What holds at the position before {@code c}, given what was before it. */
    private static int atFlags(int context, int c) {
        boolean start = (context & CTX_START) != 0;
        int f = 0;
        if (start) {
            f |= AT_BOT;
        }
        if (start || (context & CTX_PREV_NL) != 0) {
            f |= AT_BOL;
        }
        if (c == '\n') {
            f |= AT_EOL;
        }
        if (((context & CTX_PREV_WORD) != 0) != isWord(c)) {
            f |= AT_WORD_BOUNDARY;
        }
        return f;
    }

    private static int endFlags(int context) {
        boolean start = (context & CTX_START) != 0;
        int f = AT_EOT | AT_EOL;
        if (start) {
            f |= AT_BOT;
        }
        if (start || (context & CTX_PREV_NL) != 0) {
            f |= AT_BOL;
        }
        if ((context & CTX_PREV_WORD) != 0) {
            f |= AT_WORD_BOUNDARY;
        }
        return f;
    }

    /**
     * Follows splits and the assertions {@code at} satisfies from {@code states}; adds the
     * character states reached to {@code out}; returns whether the match state was reached.
     */
    private boolean closure(int[] states, int at, List<Integer> out) {
        generation++;
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        for (int i = states.length - 1; i >= 0; i--) {
            stack.push(states[i]);
        }
        boolean match = false;
        while (!stack.isEmpty()) {
            int q = stack.pop();
            if (stamp[q] == generation) {
                continue;
            }
            stamp[q] = generation;
            switch (nfa.kind[q]) {
                case Nfa.MATCH -> match = true;
                case Nfa.CHARS -> out.add(q);
                case Nfa.SPLIT -> {
                    int[] s = nfa.split[q];
                    for (int i = s.length - 1; i >= 0; i--) {
                        stack.push(s[i]);
                    }
                }
                default -> {
                    if (holds(nfa.assertions[q], at)) {
                        stack.push(nfa.out[q]);
                    }
                }
            }
        }
        return match;
    }

    private static boolean holds(Re2Assertion a, int at) {
        return switch (a) {
            case BEGIN_TEXT -> (at & AT_BOT) != 0;
            case END_TEXT -> (at & AT_EOT) != 0;
            case BEGIN_LINE -> (at & AT_BOL) != 0;
            case END_LINE -> (at & AT_EOL) != 0;
            case WORD_BOUNDARY -> (at & AT_WORD_BOUNDARY) != 0;
            case NOT_WORD_BOUNDARY -> (at & AT_WORD_BOUNDARY) == 0;
        };
    }

    /** RE2's word characters for {@code \b}: ASCII only. */
    private static boolean isWord(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    /** Start points of the character classes: every set boundary, plus newline and word characters. */
    private static int[] alphabet(Nfa nfa) {
        TreeSet<Integer> starts = new TreeSet<>(List.of(0, (int) '\n', '\n' + 1, (int) '0', '9' + 1, (int) 'A',
                'Z' + 1, (int) '_', '_' + 1, (int) 'a', 'z' + 1));
        for (CodePointSet set : nfa.sets) {
            if (set == null) {
                continue;
            }
            int[] r = set.ranges();
            for (int i = 0; i < r.length; i += 2) {
                starts.add(r[i]);
                if (r[i + 1] < CodePointSet.MAX) {
                    starts.add(r[i + 1] + 1);
                }
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
