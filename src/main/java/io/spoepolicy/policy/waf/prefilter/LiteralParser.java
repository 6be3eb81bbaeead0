package io.spoepolicy.policy.waf.prefilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a regex in RE2 syntax (as RE2J parses it) and computes its {@link LiteralInfo} bottom-up,
 * without building a tree. Mirrors RE2's grammar for everything it accepts; whatever it does not
 * model exactly throws {@link UnsupportedRegexException}, so it never guesses.
 */
final class LiteralParser {

    /** Classes with more (folded) characters than this count as "any character". */
    static final int MAX_CLASS = 10;

    private final String p;
    private final Assumption assumption;
    private int pos;
    private int depth;

    private LiteralParser(String pattern, Assumption assumption) {
        this.p = pattern;
        this.assumption = assumption;
    }

    static LiteralInfo parse(String pattern) throws UnsupportedRegexException {
        return parse(pattern, Assumption.NONE);
    }

    static LiteralInfo parse(String pattern, Assumption assumption) throws UnsupportedRegexException {
        LiteralParser parser = new LiteralParser(pattern, assumption);
        LiteralInfo info = parser.alternation();
        if (parser.pos != pattern.length()) {
            throw new UnsupportedRegexException("unbalanced ')'");
        }
        return info;
    }

    private LiteralInfo alternation() throws UnsupportedRegexException {
        List<LiteralInfo> branches = new ArrayList<>();
        branches.add(concatenation());
        while (more() && peek() == '|') {
            pos++;
            branches.add(concatenation());
        }
        return branches.size() == 1 ? branches.get(0) : LiteralInfo.alternate(branches);
    }

    private LiteralInfo concatenation() throws UnsupportedRegexException {
        LiteralInfo acc = LiteralInfo.EMPTY;
        while (more() && peek() != '|' && peek() != ')') {
            if (p.startsWith("\\Q", pos)) {
                acc = quoted(acc);
                continue;
            }
            LiteralInfo atom = atom();
            if (atom == null) {
                // A flag group such as (?i): nothing to repeat, nothing matched.
                if (more() && isRepeatStart()) {
                    throw new UnsupportedRegexException("repetition after a flag group");
                }
                continue;
            }
            acc = LiteralInfo.concat(acc, repetitions(atom));
        }
        return acc;
    }

    /** {@code \Q...\E}: literal characters; a following repetition applies to the last one only. */
    private LiteralInfo quoted(LiteralInfo before) throws UnsupportedRegexException {
        pos += 2;
        int end = p.indexOf("\\E", pos);
        String text = end < 0 ? p.substring(pos) : p.substring(pos, end);
        pos = end < 0 ? p.length() : end + 2;
        if (text.isEmpty()) {
            if (more() && isRepeatStart()) {
                throw new UnsupportedRegexException("repetition after an empty \\Q\\E");
            }
            return before;
        }
        LiteralInfo acc = before;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                throw new UnsupportedRegexException("supplementary character in \\Q\\E");
            }
            LiteralInfo lit = literalChar(c);
            acc = LiteralInfo.concat(acc, i == text.length() - 1 ? repetitions(lit) : lit);
        }
        return acc;
    }

    private LiteralInfo repetitions(LiteralInfo atom) throws UnsupportedRegexException {
        LiteralInfo x = atom;
        while (more()) {
            char c = peek();
            int min;
            int max;
            if (c == '*') {
                min = 0;
                max = -1;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                pos++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '{') {
                int[] r = repeatBounds();
                if (r == null) {
                    break;
                }
                min = r[0];
                max = r[1];
            } else {
                break;
            }
            if (more() && peek() == '?') {
                pos++; // non-greedy: same language
            }
            x = LiteralInfo.repeat(x, min, max);
        }
        return x;
    }

    private boolean isRepeatStart() {
        char c = peek();
        if (c == '*' || c == '+' || c == '?') {
            return true;
        }
        if (c == '{') {
            int save = pos;
            int[] r = repeatBounds();
            pos = save;
            return r != null;
        }
        return false;
    }

    /**
     * RE2's {@code {n}}, {@code {n,}}, {@code {n,m}} (no leading zeros); consumes it and returns
     * {min, max (-1 unbounded)}, or returns {@code null} without consuming: then '{' is a literal.
     */
    private int[] repeatBounds() {
        int i = pos + 1;
        int[] n = number(i);
        if (n == null) {
            return null;
        }
        int min = n[0];
        i = n[1];
        int max;
        if (i >= p.length()) {
            return null;
        }
        if (p.charAt(i) == ',') {
            i++;
            if (i >= p.length()) {
                return null;
            }
            if (p.charAt(i) == '}') {
                max = -1;
            } else {
                int[] m = number(i);
                if (m == null) {
                    return null;
                }
                max = m[0];
                i = m[1];
            }
        } else {
            max = min;
        }
        if (i >= p.length() || p.charAt(i) != '}') {
            return null;
        }
        pos = i + 1;
        return new int[] {min, max};
    }

    /** Decimal at {@code i}: {value, end}, or null (none, leading zero, or absurdly large). */
    private int[] number(int i) {
        int j = i;
        while (j < p.length() && p.charAt(j) >= '0' && p.charAt(j) <= '9') {
            j++;
        }
        if (j == i || (j - i > 1 && p.charAt(i) == '0') || j - i > 8) {
            return null;
        }
        return new int[] {Integer.parseInt(p.substring(i, j)), j};
    }

    /** One atom, or {@code null} for a flag-only group. */
    private LiteralInfo atom() throws UnsupportedRegexException {
        char c = peek();
        switch (c) {
            case '(':
                return group();
            case '[':
                return charClass();
            case '.':
                pos++;
                return LiteralInfo.ANY;
            case '^':
            case '$':
                pos++;
                return LiteralInfo.EMPTY;
            case '*':
            case '+':
            case '?':
                throw new UnsupportedRegexException("missing argument to repetition");
            case '{':
                if (isRepeatStart()) {
                    throw new UnsupportedRegexException("missing argument to repetition");
                }
                pos++;
                return literalChar('{');
            case '\\':
                return escape();
            default:
                if (Character.isHighSurrogate(c) && pos + 1 < p.length()
                        && Character.isLowSurrogate(p.charAt(pos + 1))) {
                    pos += 2;
                    return LiteralInfo.ANY;
                }
                pos++;
                return literalChar(c);
        }
    }

    private LiteralInfo group() throws UnsupportedRegexException {
        pos++; // (
        if (more() && peek() == '?') {
            pos++;
            if (p.startsWith("P<", pos) || (p.startsWith("<", pos) && !p.startsWith("<=", pos)
                    && !p.startsWith("<!", pos))) {
                int close = p.indexOf('>', pos);
                if (close < 0) {
                    throw new UnsupportedRegexException("unterminated group name");
                }
                pos = close + 1;
                return groupBody();
            }
            int start = pos;
            while (more() && "imsU-".indexOf(peek()) >= 0) {
                pos++;
            }
            if (!more()) {
                throw new UnsupportedRegexException("unterminated flag group");
            }
            if (peek() == ')') {
                if (pos == start) {
                    throw new UnsupportedRegexException("empty flag group");
                }
                pos++;
                return null;
            }
            if (peek() == ':') {
                pos++;
                return groupBody();
            }
            throw new UnsupportedRegexException("group syntax (?" + peek());
        }
        return groupBody();
    }

    private LiteralInfo groupBody() throws UnsupportedRegexException {
        if (++depth > 500) {
            throw new UnsupportedRegexException("nesting too deep");
        }
        LiteralInfo inner = alternation();
        depth--;
        if (!more() || peek() != ')') {
            throw new UnsupportedRegexException("missing ')'");
        }
        pos++;
        return inner;
    }

    private LiteralInfo escape() throws UnsupportedRegexException {
        pos++; // backslash
        if (!more()) {
            throw new UnsupportedRegexException("trailing backslash");
        }
        char c = peek();
        switch (c) {
            case 'A':
            case 'z':
            case 'b':
            case 'B':
                pos++;
                return LiteralInfo.EMPTY;
            case 'd':
            case 's':
            case 'w':
            case 'D':
            case 'S':
            case 'W':
                pos++;
                return classInfo(perlClass(c));
            case 'p':
            case 'P':
                skipUnicodeClass();
                return LiteralInfo.ANY;
            case 'C':
                pos++;
                return LiteralInfo.ANY;
            default:
                return literalCode(escapedChar());
        }
    }

    /**
     * The character of a single-character escape at {@code pos} (after the backslash), consumed;
     * the escapes RE2 allows inside and outside classes.
     */
    private int escapedChar() throws UnsupportedRegexException {
        char c = peek();
        pos++;
        switch (c) {
            case 'a':
                return 7;
            case 'f':
                return '\f';
            case 't':
                return '\t';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 'v':
                return 11;
            case 'x':
                return hexEscape();
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
                if (!more() || peek() < '0' || peek() > '7') {
                    throw new UnsupportedRegexException("backreference \\" + c);
                }
                return octal(c);
            case '0':
                return octal(c);
            default:
                if (c < 128 && !Character.isLetterOrDigit(c)) {
                    return c;
                }
                throw new UnsupportedRegexException("escape \\" + c);
        }
    }

    private int octal(char first) {
        int r = first - '0';
        for (int i = 1; i < 3 && more() && peek() >= '0' && peek() <= '7'; i++) {
            r = r * 8 + (peek() - '0');
            pos++;
        }
        return r;
    }

    private int hexEscape() throws UnsupportedRegexException {
        if (more() && peek() == '{') {
            int close = p.indexOf('}', pos);
            if (close < 0 || close == pos + 1 || close - pos > 9) {
                throw new UnsupportedRegexException("bad \\x{...}");
            }
            int v = hex(p.substring(pos + 1, close));
            pos = close + 1;
            return v;
        }
        if (pos + 2 > p.length()) {
            throw new UnsupportedRegexException("bad \\x escape");
        }
        int v = hex(p.substring(pos, pos + 2));
        pos += 2;
        return v;
    }

    private static int hex(String digits) throws UnsupportedRegexException {
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                throw new UnsupportedRegexException("bad hex digits " + digits);
            }
        }
        int v = Integer.parseInt(digits, 16);
        if (v > Character.MAX_CODE_POINT) {
            throw new UnsupportedRegexException("bad code point " + digits);
        }
        return v;
    }

    private void skipUnicodeClass() throws UnsupportedRegexException {
        pos++; // p or P
        if (!more()) {
            throw new UnsupportedRegexException("bad \\p");
        }
        if (peek() == '{') {
            int close = p.indexOf('}', pos);
            if (close < 0) {
                throw new UnsupportedRegexException("bad \\p{...}");
            }
            pos = close + 1;
        } else {
            pos++;
        }
    }

    /** Perl classes as RE2 defines them; the negated ones are "large" ({@code null}). */
    private static Set<Character> perlClass(char c) {
        return switch (c) {
            case 'd' -> chars("0123456789");
            case 's' -> chars("\t\n\f\r ");
            default -> null;
        };
    }

    private static Set<Character> chars(String s) {
        Set<Character> out = new TreeSet<>();
        for (int i = 0; i < s.length(); i++) {
            out.add(s.charAt(i));
        }
        return out;
    }

    /** {@code [...]}; {@code null} set means a class too large (or negated) to expand. */
    private LiteralInfo charClass() throws UnsupportedRegexException {
        pos++; // [
        boolean negated = false;
        if (more() && peek() == '^') {
            negated = true;
            pos++;
        }
        Set<Character> set = new TreeSet<>();
        boolean large = false;
        boolean first = true;
        while (true) {
            if (!more()) {
                throw new UnsupportedRegexException("missing ']'");
            }
            char c = peek();
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '[' && p.startsWith("[:", pos)) {
                int close = p.indexOf(":]", pos + 2);
                if (close >= 0) {
                    // POSIX class: large for our purposes (RE2 rejects unknown names itself).
                    pos = close + 2;
                    large = true;
                    continue;
                }
            }
            if (c == '\\' && pos + 1 < p.length()) {
                char e = p.charAt(pos + 1);
                if (e == 'p' || e == 'P') {
                    pos++;
                    skipUnicodeClass();
                    large = true;
                    continue;
                }
                if ("dswDSW".indexOf(e) >= 0) {
                    pos += 2;
                    Set<Character> perl = perlClass(e);
                    if (perl == null) {
                        large = true;
                    } else {
                        set.addAll(perl);
                    }
                    continue;
                }
            }
            int lo = classChar();
            int hi = lo;
            if (pos + 1 < p.length() && peek() == '-' && p.charAt(pos + 1) != ']') {
                pos++;
                hi = classChar();
                if (hi < lo) {
                    throw new UnsupportedRegexException("bad class range");
                }
            }
            if (hi - lo >= 128) {
                large = true;
            } else {
                for (int x = lo; x <= hi && !large; x++) {
                    int f = LiteralFold.literal(x);
                    if (f < 0) {
                        large = true;
                    } else {
                        set.add((char) f);
                    }
                }
            }
        }
        if (negated || large || set.isEmpty()) {
            return LiteralInfo.ANY;
        }
        return oneOf(set);
    }

    private int classChar() throws UnsupportedRegexException {
        if (!more()) {
            throw new UnsupportedRegexException("missing ']'");
        }
        char c = peek();
        if (c == '\\') {
            pos++;
            if (!more()) {
                throw new UnsupportedRegexException("trailing backslash");
            }
            return escapedChar();
        }
        if (Character.isHighSurrogate(c) && pos + 1 < p.length()
                && Character.isLowSurrogate(p.charAt(pos + 1))) {
            int cp = p.codePointAt(pos);
            pos += 2;
            return cp;
        }
        pos++;
        return c;
    }

    private LiteralInfo classInfo(Set<Character> set) {
        return set == null ? LiteralInfo.ANY : oneOf(set);
    }

    /**
     * One character of {@code set} (folded), under the assumption: absent characters cannot be
     * matched, skipped ones match as the empty string.
     */
    private LiteralInfo oneOf(Set<Character> set) {
        Set<Character> kept = new TreeSet<>();
        boolean skippable = false;
        for (char c : set) {
            if (assumption.isSkipped(c)) {
                skippable = true;
            } else if (!assumption.isAbsent(c)) {
                kept.add(c);
            }
        }
        if (kept.size() > MAX_CLASS) {
            return LiteralInfo.ANY;
        }
        LiteralInfo one = LiteralInfo.oneOf(kept);
        return skippable ? LiteralInfo.alternate(List.of(one, LiteralInfo.EMPTY)) : one;
    }

    private LiteralInfo literalChar(char c) {
        return literalCode(c);
    }

    /** A literal character: ASCII becomes a folded literal, anything else one unknown character. */
    private LiteralInfo literalCode(int c) {
        int f = LiteralFold.literal(c);
        return f < 0 ? LiteralInfo.ANY : oneOf(Set.of((char) f));
    }

    private boolean more() {
        return pos < p.length();
    }

    private char peek() {
        return p.charAt(pos);
    }
}
