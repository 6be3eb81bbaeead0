package io.spoepolicy.policy.waf.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;

/**
 * An Aho–Corasick automaton over byte strings (chars 0..255), case-insensitive for ASCII letters
 * like {@code @pm}. Finds the first phrase occurring in an input in one pass, whatever the number
 * of phrases. Immutable once built.
 */
public final class AhoCorasick {

    private static final int ROOT = 0;

    /** Per state: sorted transition chars and targets (the root uses {@link #rootNext}). */
    private final char[][] keys;
    private final int[][] next;
    private final int[] rootNext;
    private final int[] fail;
    /** Per state: index of a phrase ending here (directly or via a suffix), or -1. */
    private final int[] output;
    private final String[] phrases;

    private AhoCorasick(char[][] keys, int[][] next, int[] rootNext, int[] fail, int[] output,
            String[] phrases) {
        this.keys = keys;
        this.next = next;
        this.rootNext = rootNext;
        this.fail = fail;
        this.output = output;
        this.phrases = phrases;
    }

    public static AhoCorasick build(Collection<String> phraseList) {
        List<String> phrases = new ArrayList<>();
        List<Map<Character, Integer>> trie = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();
        trie.add(new TreeMap<>());
        outputs.add(-1);
        for (String raw : phraseList) {
            if (raw.isEmpty()) {
                continue;
            }
            String p = lower(raw);
            int state = ROOT;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                Integer to = trie.get(state).get(c);
                if (to == null) {
                    to = trie.size();
                    trie.add(new TreeMap<>());
                    outputs.add(-1);
                    trie.get(state).put(c, to);
                }
                state = to;
            }
            if (outputs.get(state) < 0) {
                outputs.set(state, phrases.size());
            }
            phrases.add(raw);
        }
        int size = trie.size();
        char[][] keys = new char[size][];
        int[][] next = new int[size][];
        for (int s = 0; s < size; s++) {
            Map<Character, Integer> m = trie.get(s);
            keys[s] = new char[m.size()];
            next[s] = new int[m.size()];
            int k = 0;
            for (Map.Entry<Character, Integer> e : m.entrySet()) {
                keys[s][k] = e.getKey();
                next[s][k] = e.getValue();
                k++;
            }
        }
        int[] rootNext = new int[256];
        Arrays.fill(rootNext, ROOT);
        for (int k = 0; k < keys[ROOT].length; k++) {
            if (keys[ROOT][k] < 256) {
                rootNext[keys[ROOT][k]] = next[ROOT][k];
            }
        }
        int[] fail = new int[size];
        int[] output = new int[size];
        for (int s = 0; s < size; s++) {
            output[s] = outputs.get(s);
        }
        Queue<Integer> queue = new ArrayDeque<>();
        for (int child : next[ROOT]) {
            fail[child] = ROOT;
            queue.add(child);
        }
        AhoCorasick partial = new AhoCorasick(keys, next, rootNext, fail, output, new String[0]);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (int k = 0; k < keys[s].length; k++) {
                char c = keys[s][k];
                int child = next[s][k];
                int f = fail[s];
                int target = partial.step(f, c);
                fail[child] = target == child ? ROOT : target;
                if (output[child] < 0) {
                    output[child] = output[fail[child]];
                }
                queue.add(child);
            }
        }
        return new AhoCorasick(keys, next, rootNext, fail, output, phrases.toArray(new String[0]));
    }

    public int size() {
        return phrases.length;
    }

    /** The first phrase found in {@code input} (by end position), or {@code null}. */
    public String find(String input) {
        int state = ROOT;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            state = step(state, c);
            if (output[state] >= 0) {
                return phrases[output[state]];
            }
        }
        return null;
    }

    private int step(int state, char c) {
        int s = state;
        while (true) {
            if (s == ROOT) {
                return c < 256 ? rootNext[c] : ROOT;
            }
            int k = Arrays.binarySearch(keys[s], c);
            if (k >= 0) {
                return next[s][k];
            }
            s = fail[s];
        }
    }

    private static String lower(String s) {
        char[] out = s.toCharArray();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] = (char) (out[i] + 32);
            }
        }
        return new String(out);
    }
}
