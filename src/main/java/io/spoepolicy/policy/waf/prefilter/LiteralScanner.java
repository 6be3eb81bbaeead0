package io.spoepolicy.policy.waf.prefilter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Queue;

/**
 * Whether an input contains any of a set of folded ASCII literals, case-insensitively as
 * {@link LiteralFold#input} folds: a dense Aho–Corasick DFA over the literals' own characters
 * (every other character is one class), so a scan is one table load per input character, with no
 * allocation and no lowercased copy of the input. Immutable and thread-safe.
 *
 * <p>Not the {@code @pm} automaton ({@code operator.AhoCorasick}): that one folds ASCII only, as
 * ModSecurity's {@code @pm} does, while a sound prefilter for {@code (?i)} must also fold the long s
 * and the Kelvin sign, and a dense table is faster for the small sets regexes give.
 */
public final class LiteralScanner {

    /** Literals are cut to this length: a longer literal adds little selectivity, only states. */
    static final int MAX_SCAN_LENGTH = 12;
    /** Table entries beyond which literals are cut further (memory per rule stays below 1 MB). */
    static final int MAX_TABLE = 1 << 18;

    private static final int ACCEPT = -1;

    /** Class of each folded ASCII character; 0 for characters no literal has. */
    private final byte[] asciiClass;
    private final int longSClass;
    private final int kelvinClass;
    private final int width;
    /** Row offset of the next state per (row offset + class); {@link #ACCEPT} once a literal ended. */
    private final int[] next;

    private LiteralScanner(byte[] asciiClass, int width, int[] next) {
        this.asciiClass = asciiClass;
        this.longSClass = asciiClass['s'];
        this.kelvinClass = asciiClass['k'];
        this.width = width;
        this.next = next;
    }

    /** A scanner for non-empty, folded ASCII literals (as {@link RegexLiterals} gives them). */
    public static LiteralScanner of(Collection<String> literals) {
        return of(literals, "");
    }

    /**
     * A scanner that reads the input as if the {@code skipped} characters (ASCII punctuation, in no
     * literal) were deleted from it.
     */
    public static LiteralScanner of(Collection<String> literals, String skipped) {
        if (literals.isEmpty()) {
            throw new IllegalArgumentException("no literals");
        }
        for (int cut = MAX_SCAN_LENGTH; ; cut = Math.max(1, cut / 2)) {
            LiteralScanner s = build(literals, cut, skipped);
            if (s != null || cut == 1) {
                if (s == null) {
                    throw new IllegalArgumentException("too many literals: " + literals.size());
                }
                return s;
            }
        }
    }

    private static LiteralScanner build(Collection<String> literals, int cut, String skipped) {
        byte[] asciiClass = new byte[128];
        int classes = 1;
        List<String> words = new ArrayList<>();
        for (String raw : literals) {
            if (raw.isEmpty()) {
                throw new IllegalArgumentException("empty literal");
            }
            String w = raw.length() > cut ? raw.substring(0, cut) : raw;
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c >= 128 || LiteralFold.literal(c) != c) {
                    throw new IllegalArgumentException("literal not folded ASCII: " + raw);
                }
                if (asciiClass[c] == 0) {
                    asciiClass[c] = (byte) classes++;
                }
            }
            words.add(w);
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            asciiClass[c] = asciiClass[c + ('a' - 'A')];
        }
        int skipClass = -1;
        if (!skipped.isEmpty()) {
            skipClass = classes++;
            for (char c : skipped.toCharArray()) {
                if (c >= 128 || Character.isLetterOrDigit(c) || asciiClass[c] != 0) {
                    throw new IllegalArgumentException("cannot skip a literal's character: " + c);
                }
                asciiClass[c] = (byte) skipClass;
            }
        }
        int width = classes;
        // Trie as a growable dense table.
        int states = 1;
        for (String w : words) {
            states += w.length();
        }
        if ((long) states * width > MAX_TABLE) {
            return null;
        }
        int[] go = new int[states * width];
        Arrays.fill(go, -1);
        boolean[] terminal = new boolean[states];
        int used = 1;
        for (String w : words) {
            int s = 0;
            for (int i = 0; i < w.length(); i++) {
                int cls = asciiClass[w.charAt(i)];
                int t = go[s * width + cls];
                if (t < 0) {
                    t = used++;
                    go[s * width + cls] = t;
                }
                s = t;
            }
            terminal[s] = true;
        }
        // Breadth-first: complete transitions through failure links, propagate terminals.
        int[] fail = new int[used];
        int[] delta = new int[used * width];
        Queue<Integer> queue = new ArrayDeque<>();
        for (int cls = 0; cls < width; cls++) {
            int t = go[cls];
            if (t < 0) {
                delta[cls] = 0;
            } else {
                delta[cls] = t;
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            terminal[s] |= terminal[fail[s]];
            for (int cls = 0; cls < width; cls++) {
                int t = go[s * width + cls];
                if (t < 0) {
                    delta[s * width + cls] = delta[fail[s] * width + cls];
                } else {
                    delta[s * width + cls] = t;
                    fail[t] = delta[fail[s] * width + cls];
                    queue.add(t);
                }
            }
        }
        int[] next = new int[used * width];
        for (int i = 0; i < next.length; i++) {
            int t = delta[i];
            next[i] = terminal[t] ? ACCEPT : t * width;
        }
        if (skipClass >= 0) {
            // A skipped character leaves the state as it is: the scan runs on the input without it.
            for (int s = 0; s < used; s++) {
                next[s * width + skipClass] = s * width;
            }
        }
        return new LiteralScanner(asciiClass, width, next);
    }

    /** Whether {@code input} contains one of the literals (folding as the regex could). */
    public boolean containsAny(String input) {
        final byte[] classes = asciiClass;
        final int[] table = next;
        int row = 0;
        for (int i = 0, n = input.length(); i < n; i++) {
            char c = input.charAt(i);
            int cls;
            if (c < 128) {
                cls = classes[c];
            } else if (c == LiteralFold.LONG_S) {
                cls = longSClass;
            } else if (c == LiteralFold.KELVIN) {
                cls = kelvinClass;
            } else {
                cls = 0;
            }
            row = table[row + cls];
            if (row < 0) {
                return true;
            }
        }
        return false;
    }

    /** Table size, for reports. */
    int tableEntries() {
        return next.length;
    }

    int width() {
        return width;
    }
}
