package io.spoepolicy.policy.waf.prefilter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a regex node guarantees about the strings it matches, all case-folded (see
 * {@link LiteralFold}). A set containing {@code ""} guarantees nothing ({@link #TRIVIAL}).
 *
 * @param exact every string the node matches is in this set; {@code null} when unknown or too big
 * @param prefix every match starts with one of these
 * @param suffix every match ends with one of these
 * @param factor every match contains one of these (the best such set found)
 */
record LiteralInfo(Set<String> exact, Set<String> prefix, Set<String> suffix, Set<String> factor) {

    /** Bound on every set, so cross products stay cheap and scanners small. */
    static final int MAX_SET = 256;
    /** Longer exact strings are cut to prefixes/suffixes; long literals add little selectivity. */
    static final int MAX_LEN = 32;
    /** Repeats {@code x{n,m}} are expanded exactly only up to this many copies. */
    static final int MAX_REPEAT_EXPANSION = 8;

    static final Set<String> TRIVIAL = Set.of("");
    static final LiteralInfo EMPTY = new LiteralInfo(Set.of(""), TRIVIAL, TRIVIAL, TRIVIAL);
    static final LiteralInfo ANY = new LiteralInfo(null, TRIVIAL, TRIVIAL, TRIVIAL);
    /** Matches nothing (an atom whose characters are all assumed absent). */
    static final LiteralInfo NOTHING = new LiteralInfo(Set.of(), Set.of(), Set.of(), Set.of());

    boolean isNothing() {
        return exact != null && exact.isEmpty();
    }

    boolean isEmptyOnly() {
        return exact != null && exact.size() == 1 && exact.contains("");
    }

    static LiteralInfo literal(char folded) {
        Set<String> s = Set.of(String.valueOf(folded));
        return new LiteralInfo(s, s, s, s);
    }

    /** One character out of {@code chars} (already folded and deduplicated). */
    static LiteralInfo oneOf(Collection<Character> chars) {
        if (chars.isEmpty()) {
            return NOTHING;
        }
        Set<String> s = new TreeSet<>();
        for (char c : chars) {
            s.add(String.valueOf(c));
        }
        return fromExact(s);
    }

    static LiteralInfo fromExact(Set<String> exact) {
        int maxLen = 0;
        for (String s : exact) {
            maxLen = Math.max(maxLen, s.length());
        }
        if (exact.size() <= MAX_SET && maxLen <= MAX_LEN) {
            Set<String> e = new TreeSet<>(exact);
            Set<String> prefix = prefixes(e);
            Set<String> suffix = suffixes(e);
            return new LiteralInfo(e, prefix, suffix, best(List.of(factors(e), prefix, suffix)));
        }
        Set<String> prefix = prefixes(exact);
        Set<String> suffix = suffixes(exact);
        return new LiteralInfo(null, prefix, suffix, best(List.of(prefix, suffix)));
    }

    static LiteralInfo concat(LiteralInfo a, LiteralInfo b) {
        if (a.isNothing() || b.isNothing()) {
            return NOTHING;
        }
        if (a.exact != null && b.exact != null && fits(a.exact, b.exact)) {
            return fromExact(cross(a.exact, b.exact));
        }
        Set<String> prefix = a.exact != null && fits(a.exact, b.prefix)
                ? prefixes(cross(a.exact, b.prefix)) : a.prefix;
        Set<String> suffix = b.exact != null && fits(a.suffix, b.exact)
                ? suffixes(cross(a.suffix, b.exact)) : b.suffix;
        List<Set<String>> candidates = new ArrayList<>(List.of(a.factor, b.factor, prefix, suffix));
        if (fits(a.suffix, b.prefix)) {
            // Every match is uv with u ending in a suffix of a and v starting with a prefix of b.
            candidates.add(factors(cross(a.suffix, b.prefix)));
        }
        return new LiteralInfo(null, prefix, suffix, best(candidates));
    }

    static LiteralInfo alternate(List<LiteralInfo> all) {
        List<LiteralInfo> branches = all.stream().filter(b -> !b.isNothing()).toList();
        if (branches.isEmpty()) {
            return NOTHING;
        }
        Set<String> exact = new TreeSet<>();
        for (LiteralInfo b : branches) {
            if (exact == null || b.exact == null) {
                exact = null;
            } else {
                exact.addAll(b.exact);
                if (exact.size() > MAX_SET) {
                    exact = null;
                }
            }
        }
        if (exact != null) {
            return fromExact(exact);
        }
        Set<String> prefix = new TreeSet<>();
        Set<String> suffix = new TreeSet<>();
        Set<String> factor = new TreeSet<>();
        for (LiteralInfo b : branches) {
            prefix.addAll(b.prefix);
            suffix.addAll(b.suffix);
            factor.addAll(b.factor);
        }
        Set<String> p = prefixes(prefix);
        Set<String> s = suffixes(suffix);
        return new LiteralInfo(null, p, s, best(List.of(factors(factor), p, s)));
    }

    /** {@code x{min,max}}; {@code max < 0} means unbounded. */
    static LiteralInfo repeat(LiteralInfo x, int min, int max) {
        if (max == 0 || x.isEmptyOnly()) {
            return EMPTY;
        }
        if (x.isNothing()) {
            return min == 0 ? EMPTY : NOTHING;
        }
        if (x.exact != null && max > 0 && max <= MAX_REPEAT_EXPANSION) {
            Set<String> all = new TreeSet<>();
            Set<String> power = Set.of("");
            boolean ok = true;
            for (int k = 1; k <= max && ok; k++) {
                if (k - 1 >= min) {
                    all.addAll(power);
                }
                ok = fits(power, x.exact);
                if (ok) {
                    power = cross(power, x.exact);
                }
            }
            if (ok) {
                all.addAll(power);
                if (all.size() <= MAX_SET) {
                    return fromExact(all);
                }
            }
        }
        if (min == 0) {
            return ANY;
        }
        // At least one copy: whatever one copy guarantees at its ends and inside still holds.
        return new LiteralInfo(null, x.prefix, x.suffix, x.factor);
    }

    private static boolean fits(Set<String> a, Set<String> b) {
        return (long) a.size() * b.size() <= MAX_SET;
    }

    private static Set<String> cross(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>();
        for (String x : a) {
            for (String y : b) {
                out.add(x + y);
            }
        }
        return out;
    }

    /** A prefix set: minimal under "is a prefix of", at most MAX_SET strings of at most MAX_LEN. */
    static Set<String> prefixes(Collection<String> in) {
        if (in.contains("")) {
            return TRIVIAL;
        }
        for (int len = MAX_LEN; len >= 1; len--) {
            TreeSet<String> cut = new TreeSet<>();
            for (String s : in) {
                cut.add(s.length() > len ? s.substring(0, len) : s);
            }
            List<String> kept = new ArrayList<>();
            for (String s : cut) {
                // Sorted order puts a prefix right before the strings it starts.
                if (kept.isEmpty() || !s.startsWith(kept.get(kept.size() - 1))) {
                    kept.add(s);
                }
            }
            if (kept.size() <= MAX_SET) {
                return new TreeSet<>(kept);
            }
        }
        return TRIVIAL;
    }

    static Set<String> suffixes(Collection<String> in) {
        List<String> reversed = new ArrayList<>();
        for (String s : in) {
            reversed.add(new StringBuilder(s).reverse().toString());
        }
        Set<String> out = new TreeSet<>();
        for (String s : prefixes(reversed)) {
            out.add(new StringBuilder(s).reverse().toString());
        }
        return out;
    }

    /** A factor set: no member contains another, bounded by cutting members to prefixes. */
    static Set<String> factors(Collection<String> in) {
        Set<String> p = prefixes(in);
        if (p.contains("")) {
            return TRIVIAL;
        }
        List<String> byLength = new ArrayList<>(p);
        byLength.sort((x, y) -> Integer.compare(x.length(), y.length()));
        List<String> kept = new ArrayList<>();
        for (String s : byLength) {
            boolean redundant = false;
            for (String k : kept) {
                if (s.contains(k)) {
                    redundant = true;
                    break;
                }
            }
            if (!redundant) {
                kept.add(s);
            }
        }
        return new TreeSet<>(kept);
    }

    /** The most selective set: longest shortest member (up to 6 chars), then fewest members. */
    static Set<String> best(List<Set<String>> candidates) {
        Set<String> best = TRIVIAL;
        for (Set<String> c : candidates) {
            if (score(c) > score(best)) {
                best = c;
            }
        }
        return best;
    }

    static long score(Set<String> s) {
        if (s.isEmpty() || s.contains("")) {
            return -1;
        }
        int min = Integer.MAX_VALUE;
        for (String x : s) {
            min = Math.min(min, x.length());
        }
        return Math.min(min, 6) * 1000L + (1000 - s.size());
    }
}
