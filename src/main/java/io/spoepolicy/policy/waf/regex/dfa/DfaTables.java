package io.spoepolicy.policy.waf.regex.dfa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the subset construction's rows into {@link TableDfa} tables: states that can no longer
 * reach a match become {@code DEAD} (the scan stops there), and equivalent states are merged
 * (Moore's partition refinement), which undoes most of the duplication the previous-character
 * context and the unanchored restart bring.
 */
final class DfaTables {

    private static final int TO_MATCH = -1;
    private static final int TO_DEAD = -2;

    private DfaTables() {}

    /** {@code rows[s][cls]}: target state, or -1 for "match found". State 0 is the initial one. */
    static TableDfa of(List<int[]> rows, List<Boolean> accept, int[] boundaries, boolean exact) {
        int n = rows.size();
        int classes = boundaries.length;
        boolean[] live = live(rows, accept);
        // Transitions with the sentinels folded in.
        int[][] delta = new int[n][classes];
        for (int s = 0; s < n; s++) {
            for (int cls = 0; cls < classes; cls++) {
                int t = rows.get(s)[cls];
                delta[s][cls] = t < 0 ? TO_MATCH : live[t] ? t : TO_DEAD;
            }
        }
        int[] block = minimize(delta, accept, live);
        int blocks = 0;
        for (int b : block) {
            blocks = Math.max(blocks, b + 1);
        }
        char[] table = new char[blocks * classes];
        boolean[] acceptAtEnd = new boolean[blocks];
        for (int s = 0; s < n; s++) {
            if (!live[s] && s != 0) {
                continue;
            }
            int b = block[s];
            acceptAtEnd[b] = accept.get(s);
            for (int cls = 0; cls < classes; cls++) {
                int t = delta[s][cls];
                table[b * classes + cls] = t == TO_MATCH ? TableDfa.MATCH : t == TO_DEAD ? TableDfa.DEAD : (char) block[t];
            }
        }
        return new TableDfa(table, classes, boundaries, acceptAtEnd, exact);
    }

    private static boolean[] live(List<int[]> rows, List<Boolean> accept) {
        int n = rows.size();
        List<List<Integer>> predecessors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            predecessors.add(new ArrayList<>());
        }
        boolean[] live = new boolean[n];
        int[] work = new int[n];
        int top = 0;
        for (int s = 0; s < n; s++) {
            for (int t : rows.get(s)) {
                if (t >= 0) {
                    predecessors.get(t).add(s);
                } else if (!live[s]) {
                    live[s] = true;
                    work[top++] = s;
                }
            }
            if (accept.get(s) && !live[s]) {
                live[s] = true;
                work[top++] = s;
            }
        }
        while (top > 0) {
            for (int p : predecessors.get(work[--top])) {
                if (!live[p]) {
                    live[p] = true;
                    work[top++] = p;
                }
            }
        }
        return live;
    }

    /**
     * Block numbers of the live states (and of state 0, which gets block 0): two states share a
     * block when no input tells them apart.
     */
    private static int[] minimize(int[][] delta, List<Boolean> accept, boolean[] live) {
        int n = delta.length;
        int classes = n == 0 ? 0 : delta[0].length;
        int[] block = new int[n];
        for (int s = 0; s < n; s++) {
            block[s] = accept.get(s) ? 1 : 0;
        }
        int count = -1;
        while (true) {
            Map<Signature, Integer> ids = new HashMap<>();
            int[] next = new int[n];
            // State 0 first so that it keeps block 0.
            for (int s = 0; s < n; s++) {
                if (!live[s] && s != 0) {
                    continue;
                }
                int[] sig = new int[classes + 1];
                sig[0] = block[s];
                for (int cls = 0; cls < classes; cls++) {
                    int t = delta[s][cls];
                    sig[cls + 1] = t < 0 ? t : block[t];
                }
                Integer id = ids.get(new Signature(sig));
                if (id == null) {
                    id = ids.size();
                    ids.put(new Signature(sig), id);
                }
                next[s] = id;
            }
            block = next;
            if (ids.size() == count) {
                return block;
            }
            count = ids.size();
        }
    }

    private record Signature(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && Arrays.equals(s.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }
}
