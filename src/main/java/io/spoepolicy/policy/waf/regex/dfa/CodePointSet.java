package io.spoepolicy.policy.waf.regex.dfa;

import java.util.Arrays;

/** An immutable set of code points as sorted, disjoint, non-adjacent ranges. */
final class CodePointSet {

    static final int MAX = Character.MAX_CODE_POINT;
    static final CodePointSet EMPTY = new CodePointSet(new int[0]);
    static final CodePointSet ALL = new CodePointSet(new int[] {0, MAX});

    /** lo0, hi0, lo1, hi1, ... */
    private final int[] ranges;

    private CodePointSet(int[] ranges) {
        this.ranges = ranges;
    }

    static CodePointSet range(int lo, int hi) {
        return new CodePointSet(new int[] {lo, hi});
    }

    static CodePointSet of(int... codePoints) {
        CodePointSet s = EMPTY;
        for (int c : codePoints) {
            s = s.union(range(c, c));
        }
        return s;
    }

    /** From unsorted, possibly overlapping pairs. */
    static CodePointSet ofRanges(int[] pairs) {
        int n = pairs.length / 2;
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            packed[i] = ((long) pairs[2 * i] << 32) | pairs[2 * i + 1];
        }
        Arrays.sort(packed);
        int[] out = new int[pairs.length];
        int k = 0;
        for (long r : packed) {
            int lo = (int) (r >>> 32);
            int hi = (int) r;
            if (k > 0 && lo <= out[k - 1] + 1) {
                out[k - 1] = Math.max(out[k - 1], hi);
            } else {
                out[k++] = lo;
                out[k++] = hi;
            }
        }
        return new CodePointSet(Arrays.copyOf(out, k));
    }

    CodePointSet union(CodePointSet other) {
        if (other.ranges.length == 0) {
            return this;
        }
        if (ranges.length == 0) {
            return other;
        }
        int[] all = Arrays.copyOf(ranges, ranges.length + other.ranges.length);
        System.arraycopy(other.ranges, 0, all, ranges.length, other.ranges.length);
        return ofRanges(all);
    }

    CodePointSet complement() {
        int[] out = new int[ranges.length + 2];
        int k = 0;
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) {
                out[k++] = next;
                out[k++] = ranges[i] - 1;
            }
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX) {
            out[k++] = next;
            out[k++] = MAX;
        }
        return new CodePointSet(Arrays.copyOf(out, k));
    }

    boolean contains(int c) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (c < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (c > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Whether any member lies in {@code [lo, hi]}. */
    boolean intersects(int lo, int hi) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] <= hi && ranges[i + 1] >= lo) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return ranges.length == 0;
    }

    /** The ranges as lo, hi pairs (a copy). */
    int[] ranges() {
        return ranges.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodePointSet other && Arrays.equals(ranges, other.ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ranges.length; i += 2) {
            b.append(String.format("%X", ranges[i]));
            if (ranges[i + 1] != ranges[i]) {
                b.append('-').append(String.format("%X", ranges[i + 1]));
            }
            b.append(' ');
        }
        return b.append(']').toString();
    }
}
