package io.spoepolicy.policy.waf.regex.dfa;

/**
 * A deterministic automaton answering "does the regex match anywhere in this input" in one table
 * lookup per character, with RE2J's {@code find()} semantics (unanchored search, assertions
 * included). Immutable and thread-safe.
 *
 * <p>When {@link #exact()} its answer is RE2J's; otherwise (a Unicode class, or case folding of a
 * non-ASCII character it does not model) it may say "match" where RE2J would not, never the
 * reverse: a "no" is always final, a "yes" must then be confirmed by RE2J.
 */
public final class RegexDfa {

    /** Table entries at or above {@code DEAD} end the scan. */
    static final char DEAD = 0xFFFE;
    static final char MATCH = 0xFFFF;
    static final int MAX_STATES = DEAD - 1;

    private final char[] table;
    private final int classes;
    private final char[] asciiClass;
    /** Class {@code i} starts at {@code boundaries[i]}. */
    private final int[] boundaries;
    private final boolean[] acceptAtEnd;
    private final boolean exact;

    RegexDfa(char[] table, int classes, int[] boundaries, boolean[] acceptAtEnd, boolean exact) {
        this.table = table;
        this.classes = classes;
        this.boundaries = boundaries;
        this.acceptAtEnd = acceptAtEnd;
        this.exact = exact;
        this.asciiClass = new char[128];
        for (int c = 0; c < 128; c++) {
            asciiClass[c] = (char) classOf(c);
        }
    }

    /** Whether the regex matches somewhere in {@code input} (see the class comment for inexact ones). */
    public boolean find(CharSequence input) {
        int state = 0;
        int n = input.length();
        int i = 0;
        while (i < n) {
            char ch = input.charAt(i++);
            int cls;
            if (ch < 128) {
                cls = asciiClass[ch];
            } else {
                int c = ch;
                if (Character.isHighSurrogate(ch) && i < n && Character.isLowSurrogate(input.charAt(i))) {
                    c = Character.toCodePoint(ch, input.charAt(i++));
                }
                cls = classOf(c);
            }
            char next = table[state * classes + cls];
            if (next >= DEAD) {
                return next == MATCH;
            }
            state = next;
        }
        return acceptAtEnd[state];
    }

    private int classOf(int c) {
        int lo = 0;
        int hi = boundaries.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (boundaries[mid] <= c) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Whether a "match" answer is RE2J's (else it needs confirming). */
    public boolean exact() {
        return exact;
    }

    public int states() {
        return acceptAtEnd.length;
    }

    /** Approximate heap size of the tables, in bytes. */
    public long tableBytes() {
        return 2L * table.length + 4L * boundaries.length + acceptAtEnd.length + 2L * asciiClass.length + 64;
    }

    @Override
    public String toString() {
        return "RegexDfa[" + states() + " states, " + classes + " classes, " + (exact ? "exact" : "upper bound") + "]";
    }
}
