package io.spoepolicy.policy.waf.regex.dfa;

/** Code points to the DFA's character classes: class {@code i} starts at {@code boundaries[i]}. */
final class Alphabet {

    private final int[] boundaries;
    private final char[] ascii = new char[128];

    Alphabet(int[] boundaries) {
        this.boundaries = boundaries;
        for (int c = 0; c < 128; c++) {
            ascii[c] = (char) search(c);
        }
    }

    int size() {
        return boundaries.length;
    }

    int classOf(int c) {
        return c < 128 ? ascii[c] : search(c);
    }

    private int search(int c) {
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

    long bytes() {
        return 4L * boundaries.length + 2L * ascii.length + 32;
    }
}
