package io.spoepolicy.policy.waf.regex.dfa;

import io.spoepolicy.policy.waf.regex.Re2Assertion;
import io.spoepolicy.policy.waf.regex.Re2Reader;
import io.spoepolicy.policy.waf.regex.UnsupportedRegexException;
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
    private final int[][] classesOf;
    private final int[] stamp;
    private final int[] stack;
    private final int[] closed;
    private int closedCount;
    private int generation;

    /** The outcome: a DFA, or why there is none. */
    public record Result(RegexDfa dfa, String reason) {}

    private DfaCompiler(Nfa nfa) {
        this.nfa = nfa;
        this.boundaries = alphabet(nfa);
        this.trackNewline = nfa.uses(Re2Assertion.BEGIN_LINE);
        this.trackWord = nfa.uses(Re2Assertion.WORD_BOUNDARY) || nfa.uses(Re2Assertion.NOT_WORD_BOUNDARY);
        this.classesOf = classesOfStates();
        this.stamp = new int[nfa.size()];
        this.stack = new int[nfa.size()];
        this.closed = new int[nfa.size()];
    }

    /**
     * The DFA of {@code pattern} (RE2 syntax, already accepted by RE2J) compiled with
     * {@code flags} ({@link Re2Reader} bits), or the reason there is none: syntax not modelled,
     * more than {@code maxStates} DFA states while building (bounds the work), or tables above
     * {@code maxTableBytes} once minimized (bounds the memory).
     */
    public static Result compile(String pattern, int flags, int maxStates, long maxTableBytes) {
        return compile(pattern, flags, maxStates, maxTableBytes, new LazyDfaStats());
    }

    /** The same; a lazily built DFA counts its cache resets in {@code lazyStats}. */
    public static Result compile(String pattern, int flags, int maxStates, long maxTableBytes,
            LazyDfaStats lazyStats) {
        try {
            RxTree.Builder builder = new RxTree.Builder();
            RxTree tree = Re2Reader.read(pattern, builder, flags);
            Nfa nfa = Nfa.compile(tree, MAX_NFA_STATES);
            RegexDfa dfa;
            try {
                dfa = new DfaCompiler(nfa).build(Math.min(maxStates, TableDfa.MAX_STATES), builder.exact());
            } catch (UnsupportedRegexException tooLarge) {
                dfa = null;
            }
            if (dfa == null || dfa.tableBytes() > maxTableBytes) {
                // Too large to build whole: build it as inputs need, within the same memory.
                DfaCompiler lazy = new DfaCompiler(nfa);
                long budget = maxTableBytes - new Alphabet(lazy.boundaries()).bytes();
                if (budget < 16 * LazyDfa.bytesPerState(lazy.classes(), 1)) {
                    // Not even a few states: not worth a DFA.
                    return new Result(null, "DFA tables above " + maxTableBytes + " bytes");
                }
                dfa = new LazyDfa(lazy, budget, builder.exact(), lazyStats);
            }
            return new Result(dfa, null);
        } catch (UnsupportedRegexException e) {
            return new Result(null, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // A bug here must cost only speed, never a wrong answer.
            return new Result(null, "compilation failed: " + e);
        }
    }

    record Key(int[] nfaStates, int context) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.context == context && Arrays.equals(k.nfaStates, nfaStates);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nfaStates) * 31 + context;
        }
    }

    private TableDfa build(int maxStates, boolean exact) throws UnsupportedRegexException {
        int classes = boundaries.length;
        Map<Key, Integer> ids = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        Key initial = initialKey();
        ids.put(initial, 0);
        keys.add(initial);
        List<int[]> rows = new ArrayList<>();
        List<Boolean> accept = new ArrayList<>();
        for (int id = 0; id < keys.size(); id++) {
            Key key = keys.get(id);
            int[] row = new int[classes];
            // The assertions before the next character depend on it only through "newline?" and
            // "word character?": one closure per combination met, shared by its classes.
            Map<Integer, int[][]> byFlags = new HashMap<>();
            for (int cls = 0; cls < classes; cls++) {
                int c = boundaries[cls];
                int at = atFlags(key.context, c);
                int[][] successors = byFlags.get(at);
                if (successors == null) {
                    successors = successors(key.nfaStates, at);
                    byFlags.put(at, successors);
                }
                if (successors == MATCHED) {
                    row[cls] = -1;
                    continue;
                }
                Key k = target(successors[cls], boundaries[cls]);
                Integer target = ids.get(k);
                if (target == null) {
                    if (keys.size() >= maxStates) {
                        throw new UnsupportedRegexException("DFA above " + maxStates + " states");
                    }
                    target = keys.size();
                    ids.put(k, target);
                    keys.add(k);
                }
                row[cls] = target;
            }
            rows.add(row);
            accept.add(closure(key.nfaStates, endFlags(key.context)));
        }
        return DfaTables.of(rows, accept, boundaries, exact);
    }

    /**
     * The state after a character {@code c} whose NFA successors are {@code successors}: those
     * plus the NFA start (the unanchored search restarts everywhere), with the context {@code c}
     * leaves.
     */
    private Key target(int[] successors, int c) {
        int[] next = new int[successors.length + 1];
        int n = 0;
        next[n++] = nfa.start;
        for (int t : successors) {
            next[n++] = t;
        }
        Arrays.sort(next);
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (k == 0 || next[k - 1] != next[i]) {
                next[k++] = next[i];
            }
        }
        int context = (c == '\n' && trackNewline ? CTX_PREV_NL : 0) | (isWord(c) && trackWord ? CTX_PREV_WORD : 0);
        return new Key(k == n ? next : Arrays.copyOf(next, k), context);
    }

    /** For {@link LazyDfa}: the initial state. */
    Key initialKey() {
        return new Key(new int[] {nfa.start}, CTX_START);
    }

    /** For {@link LazyDfa}: the state after a character of class {@code cls}, {@code null} for "match found". */
    Key step(Key key, int cls) {
        int c = boundaries[cls];
        int[][] successors = successors(key.nfaStates, atFlags(key.context, c));
        return successors == MATCHED ? null : target(successors[cls], c);
    }

    /** For {@link LazyDfa}: whether a match ends at the end of the input in state {@code key}. */
    boolean acceptsAtEnd(Key key) {
        return closure(key.nfaStates, endFlags(key.context));
    }

    int classes() {
        return boundaries.length;
    }

    int[] boundaries() {
        return boundaries;
    }

    private static final int[][] MATCHED = new int[0][];
    private static final int[] NONE = new int[0];

    /**
     * From {@code states} under the assertions {@code at}: {@link #MATCHED} when the match state
     * is reached, else per class the NFA states a character of that class leads to.
     */
    private int[][] successors(int[] states, int at) {
        if (closure(states, at)) {
            return MATCHED;
        }
        int classes = boundaries.length;
        int[] counts = new int[classes];
        for (int i = 0; i < closedCount; i++) {
            for (int cls : classesOf[closed[i]]) {
                counts[cls]++;
            }
        }
        int[][] out = new int[classes][];
        for (int cls = 0; cls < classes; cls++) {
            out[cls] = counts[cls] == 0 ? NONE : new int[counts[cls]];
            counts[cls] = 0;
        }
        for (int i = 0; i < closedCount; i++) {
            int q = closed[i];
            for (int cls : classesOf[q]) {
                out[cls][counts[cls]++] = nfa.out[q];
            }
        }
        return out;
    }

    /** For each character state, the classes its set covers. */
    private int[][] classesOfStates() {
        int[][] out = new int[nfa.size()][];
        for (int q = 0; q < nfa.size(); q++) {
            if (nfa.kind[q] != Nfa.CHARS) {
                continue;
            }
            List<Integer> cls = new ArrayList<>();
            int[] r = nfa.sets[q].ranges();
            for (int i = 0; i < r.length; i += 2) {
                // Every range starts on a class boundary: the alphabet is made of them.
                for (int k = Arrays.binarySearch(boundaries, r[i]); k < boundaries.length && boundaries[k] <= r[i + 1]; k++) {
                    cls.add(k);
                }
            }
            out[q] = cls.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
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
     * Follows splits and the assertions {@code at} satisfies from {@code states}; leaves the
     * character states reached in {@code closed[0..closedCount)}; returns whether the match state
     * was reached.
     */
    private boolean closure(int[] states, int at) {
        generation++;
        int top = 0;
        for (int i = states.length - 1; i >= 0; i--) {
            if (stamp[states[i]] != generation) {
                stamp[states[i]] = generation;
                stack[top++] = states[i];
            }
        }
        closedCount = 0;
        boolean match = false;
        while (top > 0) {
            int q = stack[--top];
            switch (nfa.kind[q]) {
                case Nfa.MATCH -> match = true;
                case Nfa.CHARS -> closed[closedCount++] = q;
                case Nfa.SPLIT -> {
                    int[] s = nfa.split[q];
                    for (int i = s.length - 1; i >= 0; i--) {
                        if (stamp[s[i]] != generation) {
                            stamp[s[i]] = generation;
                            stack[top++] = s[i];
                        }
                    }
                }
                default -> {
                    int o = nfa.out[q];
                    if (holds(nfa.assertions[q], at) && stamp[o] != generation) {
                        stamp[o] = generation;
                        stack[top++] = o;
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
