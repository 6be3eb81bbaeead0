package io.spoepolicy.policy.waf.transform;

/** Comment transformations used against SQL and HTML obfuscation. */
public final class Comments {

    private Comments() {}

    /** {@code replaceComments}: each C comment (also an unterminated one) becomes one space. */
    public static String replace(String s) {
        int open = s.indexOf("/*");
        if (open < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (open >= 0) {
            out.append(s, i, open).append(' ');
            int close = s.indexOf("*/", open + 2);
            if (close < 0) {
                return out.toString();
            }
            i = close + 2;
            open = s.indexOf("/*", i);
        }
        out.append(s, i, s.length());
        return out.toString();
    }

    /**
     * {@code removeComments}: drops C and HTML comments; {@code --} or {@code #} turn into a space
     * that ends the value, as everything after them is a line comment.
     */
    public static String remove(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (s.startsWith("/*", i)) {
                int close = s.indexOf("*/", i + 2);
                if (close < 0) {
                    break;
                }
                i = close + 2;
            } else if (s.startsWith("<!--", i)) {
                int close = s.indexOf("-->", i + 4);
                if (close < 0) {
                    break;
                }
                i = close + 3;
            } else if (s.startsWith("--", i) || s.charAt(i) == '#') {
                out.append(' ');
                break;
            } else {
                out.append(s.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    /** {@code removeCommentsChar}: drops the comment delimiters themselves. */
    public static String removeChars(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (s.startsWith("/*", i) || s.startsWith("*/", i) || s.startsWith("--", i)) {
                i += 2;
            } else if (s.startsWith("<!--", i)) {
                i += 4;
            } else if (s.startsWith("-->", i)) {
                i += 3;
            } else if (s.charAt(i) == '#') {
                i++;
            } else {
                out.append(s.charAt(i));
                i++;
            }
        }
        return out.toString();
    }
}
