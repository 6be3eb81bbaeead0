package io.spoepolicy.policy.waf.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a regex in RE2 syntax (as RE2J parses it) and hands its structure bottom-up to a
 * {@link Re2Builder}, without building a tree of its own. Mirrors RE2's grammar for everything it
 * accepts, tracks the {@code (?ims)} flags with RE2's scoping (a flag group lasts to the end of
 * the enclosing group, across {@code |}); whatever it does not model exactly throws
 * {@link UnsupportedRegexException}, so no builder ever guesses. Only patterns RE2J has already
 * compiled are read, so syntax errors RE2J would report need not all be detected here.
 *
 * @param <T> what the builder makes of a sub-pattern
 */
public final class Re2Reader<T> {

    /** {@code (?i)}: case folding as RE2 folds. */
    public static final int FOLD_CASE = 1;
    /** {@code (?s)}: {@code .} matches {@code \n}. */
    public static final int DOT_NL = 2;
    /** {@code (?m)}: {@code ^}/{@code $} at line boundaries. */
    public static final int MULTI_LINE = 4;

    private final String p;
    private final Re2Builder<T> builder;
    private int pos;
    private int depth;
    private int flags;

    private Re2Reader(String pattern, Re2Builder<T> builder, int flags) {
        this.p = pattern;
        this.builder = builder;
        this.flags = flags;
    }

    /**
     * Reads {@code pattern}.
     *
     * @param flags the flags the pattern was compiled with ({@link #DOT_NL} for RE2J's DOTALL)
     */
    public static <T> T read(String pattern, Re2Builder<T> builder, int flags) throws UnsupportedRegexException {
        Re2Reader<T> reader = new Re2Reader<>(pattern, builder, flags);
        T result = reader.alternation();
        if (reader.pos != pattern.length()) {
            throw new UnsupportedRegexException("unbalanced ')'");
        }
        return result;
    }

    private T alternation() throws UnsupportedRegexException {
        List<T> branches = new ArrayList<>();
        branches.add(concatenation());
        while (more() && peek() == '|') {
            pos++;
            branches.add(concatenation());
        }
        return branches.size() == 1 ? branches.get(0) : builder.alternate(branches);
    }

    private T concatenation() throws UnsupportedRegexException {
        T acc = builder.empty();
        while (more() && peek() != '|' && peek() != ')') {
            if (p.startsWith("\\Q", pos)) {
                acc = quoted(acc);
                continue;
            }
            T atom = atom();
            if (atom == null) {
                // A flag group such as (?i): nothing to repeat, nothing matched.
                if (more() && isRepeatStart()) {
                    throw new UnsupportedRegexException("repetition after a flag group");
                }
                continue;
            }
            acc = builder.concat(acc, repetitions(atom));
        }
        return acc;
    }

    /** {@code \Q...\E}: literal characters; a following repetition applies to the last one only. */
    private T quoted(T before) throws UnsupportedRegexException {
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
        T acc = before;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                throw new UnsupportedRegexException("supplementary character in \\Q\\E");
            }
            T lit = builder.literal(c, flags);
            acc = builder.concat(acc, i == text.length() - 1 ? repetitions(lit) : lit);
        }
        return acc;
    }

    private T repetitions(T atom) throws UnsupportedRegexException {
        T x = atom;
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
            x = builder.repeat(x, min, max);
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
    private T atom() throws UnsupportedRegexException {
        char c = peek();
        switch (c) {
            case '(':
                return group();
            case '[':
                return charClass();
            case '.':
                pos++;
                return builder.anyChar(flags);
            case '^':
                pos++;
                return builder.assertion((flags & MULTI_LINE) != 0 ? Re2Assertion.BEGIN_LINE : Re2Assertion.BEGIN_TEXT);
            case '$':
                pos++;
                return builder.assertion((flags & MULTI_LINE) != 0 ? Re2Assertion.END_LINE : Re2Assertion.END_TEXT);
            case '*':
            case '+':
            case '?':
                throw new UnsupportedRegexException("missing argument to repetition");
            case '{':
                if (isRepeatStart()) {
                    throw new UnsupportedRegexException("missing argument to repetition");
                }
                pos++;
                return builder.literal('{', flags);
            case '\\':
                return escape();
            default:
                int cp = p.codePointAt(pos);
                pos += Character.charCount(cp);
                return builder.literal(cp, flags);
        }
    }

    private T group() throws UnsupportedRegexException {
        pos++; // (
        int saved = flags;
        if (more() && peek() == '?') {
            pos++;
            if (p.startsWith("P<", pos) || (p.startsWith("<", pos) && !p.startsWith("<=", pos)
                    && !p.startsWith("<!", pos))) {
                int close = p.indexOf('>', pos);
                if (close < 0) {
                    throw new UnsupportedRegexException("unterminated group name");
                }
                pos = close + 1;
                return groupBody(saved);
            }
            int start = pos;
            int changed = flags;
            boolean clear = false;
            while (more() && "imsU-".indexOf(peek()) >= 0) {
                char f = peek();
                int bit = f == 'i' ? FOLD_CASE : f == 's' ? DOT_NL : f == 'm' ? MULTI_LINE : 0;
                if (f == '-') {
                    clear = true;
                } else if (clear) {
                    changed &= ~bit;
                } else {
                    changed |= bit;
                }
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
                // Lasts until the enclosing group closes (which restores its own saved flags).
                flags = changed;
                return null;
            }
            if (peek() == ':') {
                pos++;
                flags = changed;
                return groupBody(saved);
            }
            throw new UnsupportedRegexException("group syntax (?" + peek());
        }
        return groupBody(saved);
    }

    private T groupBody(int savedFlags) throws UnsupportedRegexException {
        if (++depth > 500) {
            throw new UnsupportedRegexException("nesting too deep");
        }
        T inner = alternation();
        depth--;
        if (!more() || peek() != ')') {
            throw new UnsupportedRegexException("missing ')'");
        }
        pos++;
        flags = savedFlags;
        return inner;
    }

    private T escape() throws UnsupportedRegexException {
        pos++; // backslash
        if (!more()) {
            throw new UnsupportedRegexException("trailing backslash");
        }
        char c = peek();
        switch (c) {
            case 'A':
                pos++;
                return builder.assertion(Re2Assertion.BEGIN_TEXT);
            case 'z':
                pos++;
                return builder.assertion(Re2Assertion.END_TEXT);
            case 'b':
                pos++;
                return builder.assertion(Re2Assertion.WORD_BOUNDARY);
            case 'B':
                pos++;
                return builder.assertion(Re2Assertion.NOT_WORD_BOUNDARY);
            case 'd':
            case 's':
            case 'w':
            case 'D':
            case 'S':
            case 'W':
                pos++;
                return builder.charClass(new ClassSpec(false, List.of(new ClassSpec.Perl(c))), flags);
            case 'p':
            case 'P':
                return builder.charClass(new ClassSpec(false, List.of(unicodeClass())), flags);
            case 'C':
                pos++;
                return builder.anyByte();
            default:
                return builder.literal(escapedChar(), flags);
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

    /** {@code \p...} or {@code \P...} at {@code pos}, consumed. */
    private ClassSpec.UnicodeClass unicodeClass() throws UnsupportedRegexException {
        boolean negated = peek() == 'P';
        pos++; // p or P
        if (!more()) {
            throw new UnsupportedRegexException("bad \\p");
        }
        String name;
        if (peek() == '{') {
            int close = p.indexOf('}', pos);
            if (close < 0) {
                throw new UnsupportedRegexException("bad \\p{...}");
            }
            name = p.substring(pos + 1, close);
            pos = close + 1;
        } else {
            int cp = p.codePointAt(pos);
            name = new String(Character.toChars(cp));
            pos += Character.charCount(cp);
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        return new ClassSpec.UnicodeClass(name, negated);
    }

    /** {@code [...]}. */
    private T charClass() throws UnsupportedRegexException {
        pos++; // [
        boolean negated = false;
        if (more() && peek() == '^') {
            negated = true;
            pos++;
        }
        List<ClassSpec.Item> items = new ArrayList<>();
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
                    String name = p.substring(pos + 2, close);
                    pos = close + 2;
                    boolean neg = name.startsWith("^");
                    items.add(new ClassSpec.Posix(neg ? name.substring(1) : name, neg));
                    continue;
                }
            }
            if (c == '\\' && pos + 1 < p.length()) {
                char e = p.charAt(pos + 1);
                if (e == 'p' || e == 'P') {
                    pos++;
                    items.add(unicodeClass());
                    continue;
                }
                if ("dswDSW".indexOf(e) >= 0) {
                    pos += 2;
                    items.add(new ClassSpec.Perl(e));
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
            items.add(new ClassSpec.Range(lo, hi));
        }
        return builder.charClass(new ClassSpec(negated, items), flags);
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
        int cp = p.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }

    private boolean more() {
        return pos < p.length();
    }

    private char peek() {
        return p.charAt(pos);
    }
}
