package io.spoepolicy.policy.waf.prefilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random strings shaped by a regex, for soundness tests: an approximate reading of RE2 syntax
 * (independent of the analysis' parser) that produces strings the regex is likely to match. The
 * caller keeps only those RE2J really matches, so approximations cost coverage, not correctness.
 */
public final class RegexSampler {

    private sealed interface Node permits Lit, Cls, Seq, Alt, Rep {}

    private record Lit(int c) implements Node {}

    /** {@code ranges} pairs lo,hi; {@code negated}; empty ranges = any character. */
    private record Cls(List<int[]> ranges, boolean negated) implements Node {}

    private record Seq(List<Node> items) implements Node {}

    private record Alt(List<Node> branches) implements Node {}

    private record Rep(Node node, int min, int max) implements Node {}

    private static final String PRINTABLE =
            " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    private final String p;
    private int pos;

    private RegexSampler(String p) {
        this.p = p;
    }

    /** A sampler for {@code pattern}, or {@code null} when its syntax is beyond this reader. */
    public static Generator of(String pattern) {
        try {
            RegexSampler s = new RegexSampler(pattern);
            Node n = s.alt();
            return n == null || s.pos != pattern.length() ? null : new Generator(n);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Generates strings from a parsed pattern. */
    public static final class Generator {
        private final Node root;

        private Generator(Node root) {
            this.root = root;
        }

        public String next(Random random) {
            StringBuilder b = new StringBuilder();
            emit(root, random, b, 0);
            return b.toString();
        }
    }

    private static void emit(Node n, Random r, StringBuilder b, int depth) {
        if (b.length() > 4000 || depth > 200) {
            return;
        }
        if (n instanceof Lit l) {
            int c = l.c();
            if (Character.isLetter(c) && r.nextInt(4) == 0) {
                c = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
            }
            if (c == 's' && r.nextInt(20) == 0) {
                c = '\u017F';
            } else if (c == 'k' && r.nextInt(20) == 0) {
                c = '\u212A';
            }
            b.appendCodePoint(c);
        } else if (n instanceof Cls c) {
            b.appendCodePoint(pick(c, r));
        } else if (n instanceof Seq s) {
            for (Node x : s.items()) {
                emit(x, r, b, depth + 1);
            }
        } else if (n instanceof Alt a) {
            emit(a.branches().get(r.nextInt(a.branches().size())), r, b, depth + 1);
        } else if (n instanceof Rep rep) {
            int max = rep.max() < 0 ? rep.min() + 3 : Math.min(rep.max(), rep.min() + 3);
            int k = rep.min() + r.nextInt(max - rep.min() + 1);
            for (int i = 0; i < k; i++) {
                emit(rep.node(), r, b, depth + 1);
            }
        }
    }

    private static int pick(Cls c, Random r) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int x;
            if (!c.negated() && !c.ranges().isEmpty() && r.nextInt(8) != 0) {
                int[] range = c.ranges().get(r.nextInt(c.ranges().size()));
                x = range[0] + r.nextInt(Math.min(range[1] - range[0], 1000) + 1);
            } else {
                x = r.nextInt(10) == 0 ? r.nextInt(256) : PRINTABLE.charAt(r.nextInt(PRINTABLE.length()));
            }
            if (c.ranges().isEmpty() || in(c, x) != c.negated()) {
                return x;
            }
        }
        return 'x';
    }

    private static boolean in(Cls c, int x) {
        for (int[] range : c.ranges()) {
            if (x >= range[0] && x <= range[1]) {
                return true;
            }
        }
        return false;
    }

    private Node alt() {
        List<Node> branches = new ArrayList<>();
        branches.add(seq());
        while (pos < p.length() && p.charAt(pos) == '|') {
            pos++;
            branches.add(seq());
        }
        return branches.size() == 1 ? branches.get(0) : new Alt(branches);
    }

    private Node seq() {
        List<Node> items = new ArrayList<>();
        while (pos < p.length() && p.charAt(pos) != '|' && p.charAt(pos) != ')') {
            Node atom = atom();
            if (atom == null) {
                continue;
            }
            items.add(quantified(atom));
        }
        return new Seq(items);
    }

    private Node quantified(Node atom) {
        Node n = atom;
        while (pos < p.length()) {
            char c = p.charAt(pos);
            if (c == '*') {
                n = new Rep(n, 0, -1);
                pos++;
            } else if (c == '+') {
                n = new Rep(n, 1, -1);
                pos++;
            } else if (c == '?') {
                n = new Rep(n, 0, 1);
                pos++;
            } else if (c == '{' && p.substring(pos).matches("(?s)\\{\\d+(,\\d*)?}.*")) {
                int close = p.indexOf('}', pos);
                String[] parts = p.substring(pos + 1, close).split(",", -1);
                int min = Integer.parseInt(parts[0]);
                int max = parts.length == 1 ? min : parts[1].isEmpty() ? -1 : Integer.parseInt(parts[1]);
                n = new Rep(n, min, max);
                pos = close + 1;
            } else {
                break;
            }
            if (pos < p.length() && p.charAt(pos) == '?') {
                pos++;
            }
        }
        return n;
    }

    private Node atom() {
        char c = p.charAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                if (p.startsWith("?", pos)) {
                    pos++;
                    if (p.startsWith("P<", pos) || p.startsWith("<", pos)) {
                        pos = p.indexOf('>', pos) + 1;
                    } else {
                        while ("imsU-".indexOf(p.charAt(pos)) >= 0) {
                            pos++;
                        }
                        if (p.charAt(pos) == ')') {
                            pos++;
                            return null;
                        }
                        pos++; // ':'
                    }
                }
                Node inner = alt();
                pos++; // ')'
                return inner;
            }
            case '[' -> {
                return cls();
            }
            case '.' -> {
                pos++;
                return new Cls(List.of(), false);
            }
            case '^', '$' -> {
                pos++;
                return new Seq(List.of());
            }
            case '\\' -> {
                return escape();
            }
            default -> {
                int cp = p.codePointAt(pos);
                pos += Character.charCount(cp);
                return new Lit(cp);
            }
        }
    }

    private Node escape() {
        pos++;
        char e = p.charAt(pos++);
        switch (e) {
            case 'A', 'z', 'b', 'B' -> {
                return new Seq(List.of());
            }
            case 'd' -> {
                return new Cls(List.of(new int[] {'0', '9'}), false);
            }
            case 'D' -> {
                return new Cls(List.of(new int[] {'0', '9'}), true);
            }
            case 's' -> {
                return new Cls(List.of(new int[] {'\t', '\n'}, new int[] {'\f', '\r'}, new int[] {' ', ' '}), false);
            }
            case 'S' -> {
                return new Cls(List.of(new int[] {'\t', '\n'}, new int[] {'\f', '\r'}, new int[] {' ', ' '}), true);
            }
            case 'w' -> {
                return new Cls(List.of(new int[] {'0', '9'}, new int[] {'a', 'z'}, new int[] {'A', 'Z'},
                        new int[] {'_', '_'}), false);
            }
            case 'W' -> {
                return new Cls(List.of(new int[] {'0', '9'}, new int[] {'a', 'z'}, new int[] {'A', 'Z'},
                        new int[] {'_', '_'}), true);
            }
            case 'Q' -> {
                int end = p.indexOf("\\E", pos);
                String text = end < 0 ? p.substring(pos) : p.substring(pos, end);
                pos = end < 0 ? p.length() : end + 2;
                List<Node> items = new ArrayList<>();
                text.codePoints().forEach(cp -> items.add(new Lit(cp)));
                return new Seq(items);
            }
            default -> {
                pos--;
                return new Lit(escapedChar());
            }
        }
    }

    private int escapedChar() {
        char e = p.charAt(pos++);
        switch (e) {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'f':
                return '\f';
            case 'v':
                return 11;
            case 'a':
                return 7;
            case 'x':
                if (p.charAt(pos) == '{') {
                    int close = p.indexOf('}', pos);
                    int v = Integer.parseInt(p.substring(pos + 1, close), 16);
                    pos = close + 1;
                    return v;
                }
                pos += 2;
                return Integer.parseInt(p.substring(pos - 2, pos), 16);
            case '0':
                int v = 0;
                for (int i = 0; i < 2 && pos < p.length() && p.charAt(pos) >= '0' && p.charAt(pos) <= '7'; i++) {
                    v = v * 8 + p.charAt(pos++) - '0';
                }
                return v;
            default:
                if (Character.isLetterOrDigit(e)) {
                    throw new IllegalArgumentException("escape " + e);
                }
                return e;
        }
    }

    private Node cls() {
        pos++;
        boolean negated = false;
        if (p.charAt(pos) == '^') {
            negated = true;
            pos++;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean first = true;
        while (p.charAt(pos) != ']' || first) {
            first = false;
            if (p.startsWith("[:", pos)) {
                throw new IllegalArgumentException("posix class");
            }
            if (p.charAt(pos) == '\\' && "dswDSWpP".indexOf(p.charAt(pos + 1)) >= 0) {
                char k = p.charAt(pos + 1);
                pos += 2;
                switch (k) {
                    case 'd' -> ranges.add(new int[] {'0', '9'});
                    case 's' -> {
                        ranges.add(new int[] {'\t', '\n'});
                        ranges.add(new int[] {'\f', '\r'});
                        ranges.add(new int[] {' ', ' '});
                    }
                    case 'w' -> {
                        ranges.add(new int[] {'0', '9'});
                        ranges.add(new int[] {'a', 'z'});
                        ranges.add(new int[] {'A', 'Z'});
                        ranges.add(new int[] {'_', '_'});
                    }
                    default -> throw new IllegalArgumentException("negated class in class");
                }
                continue;
            }
            int lo = classChar();
            int hi = lo;
            if (p.charAt(pos) == '-' && p.charAt(pos + 1) != ']') {
                pos++;
                hi = classChar();
            }
            ranges.add(new int[] {lo, hi});
        }
        pos++;
        return new Cls(ranges, negated);
    }

    private int classChar() {
        if (p.charAt(pos) == '\\') {
            pos++;
            return escapedChar();
        }
        int cp = p.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }
}
