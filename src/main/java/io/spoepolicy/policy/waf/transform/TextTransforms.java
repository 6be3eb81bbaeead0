package io.spoepolicy.policy.waf.transform;

/** Whitespace and shell-oriented transformations. */
public final class TextTransforms {

    private TextTransforms() {}

    /** Whitespace as ModSecurity sees it, including the Latin-1 no-break space. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0;
    }

    public static String compressWhitespace(String s) {
        StringBuilder out = null;
        boolean inSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean space = isSpace(c);
            if (out == null && (space && (c != ' ' || inSpace))) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                if (space) {
                    if (!inSpace) {
                        out.append(' ');
                    }
                } else {
                    out.append(c);
                }
            }
            inSpace = space;
        }
        return out == null ? s : out.toString();
    }

    public static String removeWhitespace(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * {@code cmdLine}: drops the quoting characters shells ignore ({@code \ " ' ^}), turns
     * separators into single spaces, removes spaces before {@code /} and {@code (}, lower-cases.
     */
    public static String cmdLine(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"', '\'', '\\', '^' -> { }
                case ' ', ',', ';', '\t', '\r', '\n' -> {
                    if (!space) {
                        out.append(' ');
                        space = true;
                    }
                }
                case '/', '(' -> {
                    if (space) {
                        out.setLength(out.length() - 1);
                    }
                    space = false;
                    out.append(c);
                }
                default -> {
                    out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
                    space = false;
                }
            }
        }
        return out.toString();
    }

    public static String trim(String s) {
        return trimRight(trimLeft(s));
    }

    public static String trimLeft(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i == 0 ? s : s.substring(i);
    }

    public static String trimRight(String s) {
        int j = s.length();
        while (j > 0 && isSpace(s.charAt(j - 1))) {
            j--;
        }
        return j == s.length() ? s : s.substring(0, j);
    }
}
