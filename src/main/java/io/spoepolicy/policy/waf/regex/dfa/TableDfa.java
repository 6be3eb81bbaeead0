package io.spoepolicy.policy.waf.regex.dfa;

/**
 * A {@link RegexDfa} built ahead of time and minimized: one {@code char} table lookup per input
 * character, never {@link #UNKNOWN}. Immutable and thread-safe.
 */
final class TableDfa implements RegexDfa {

    /** Table entries at or above {@code DEAD} end the scan. */
    static final char DEAD = 0xFFFE;
    static final char MATCH = 0xFFFF;
    static final int MAX_STATES = DEAD - 1;

    private final char[] table;
    private final int classes;
    private final Alphabet alphabet;
    private final boolean[] acceptAtEnd;
    private final boolean exact;

    TableDfa(char[] table, int classes, int[] boundaries, boolean[] acceptAtEnd, boolean exact) {
        this.table = table;
        this.classes = classes;
        this.alphabet = new Alphabet(boundaries);
        this.acceptAtEnd = acceptAtEnd;
        this.exact = exact;
    }

    @Override
    public int search(CharSequence input) {
        int state = 0;
        int n = input.length();
        int i = 0;
        while (i < n) {
            // A pair is one code point, as RE2J reads it; an unpaired surrogate is itself.
            int c = Character.codePointAt(input, i);
            i += Character.charCount(c);
            int cls = alphabet.classOf(c);
            char next = table[state * classes + cls];
            if (next >= DEAD) {
                return next == MATCH ? YES : NO;
            }
            state = next;
        }
        return acceptAtEnd[state] ? YES : NO;
    }

    @Override
    public boolean lazy() {
        return false;
    }

    @Override
    public boolean exact() {
        return exact;
    }

    @Override
    public int states() {
        return acceptAtEnd.length;
    }

    @Override
    public long tableBytes() {
        return 2L * table.length + alphabet.bytes() + acceptAtEnd.length + 64;
    }

    @Override
    public String toString() {
        return "TableDfa[" + states() + " states, " + classes + " classes, " + (exact ? "exact" : "upper bound") + "]";
    }
}
