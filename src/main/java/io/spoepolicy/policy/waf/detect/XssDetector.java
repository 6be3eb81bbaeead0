package io.spoepolicy.policy.waf.detect;

import java.util.Locale;
import java.util.Set;

/**
 * The project's XSS detector behind {@code @detectXSS}. It scans the value as HTML, starting in
 * text and also as if it continued an attribute value (unquoted, or closed by its first quote),
 * and reports tags that run script, event-handler attributes and script-bearing URLs. Stateless
 * and thread-safe.
 */
public final class XssDetector {

    private static final Set<String> DANGEROUS_TAGS = Set.of("script", "iframe", "frame", "frameset",
            "object", "embed", "applet", "svg", "math", "style", "link", "meta", "base", "form",
            "isindex", "xml", "import", "vmlframe", "template", "portal", "xss", "animate", "set",
            "handler", "listener", "param", "noscript", "video", "audio", "marquee");
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "formaction",
            "data", "xlink:href", "background", "lowsrc", "dynsrc", "code", "codebase", "poster",
            "values", "from", "to", "by", "srcdoc", "content", "style");

    /** A short reason when the value looks like XSS, else {@code null}. */
    public String detect(String input) {
        if (input.length() < 3) {
            return null;
        }
        String s = input.toLowerCase(Locale.ROOT);
        String found = scanText(s, 0);
        if (found != null) {
            return found;
        }
        if (startsWithScriptUrl(s, 0)) {
            return "url";
        }
        // The value may be the rest of an attribute value the page already opened.
        for (char quote : new char[] {'"', '\'', '`'}) {
            int close = s.indexOf(quote);
            if (close >= 0) {
                found = scanAttributes(s, close + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        int space = firstSpace(s);
        return space >= 0 ? scanAttributes(s, space + 1) : null;
    }

    private static String scanText(String s, int from) {
        int n = s.length();
        int i = s.indexOf('<', from);
        while (i >= 0 && i + 1 < n) {
            char c = s.charAt(i + 1);
            if (c == '!' && s.startsWith("<!--", i)) {
                // Conditional comments and comment-hidden tags are tokenized by browsers too.
                i = s.indexOf('<', i + 1);
                continue;
            }
            int nameStart = i + 1;
            if (c == '/' || c == '?') {
                nameStart++;
            }
            int j = nameStart;
            while (j < n && (isNameChar(s.charAt(j)) || s.charAt(j) == ':')) {
                j++;
            }
            if (j > nameStart) {
                // Namespaced names (x:script) are the element itself in XHTML and SVG.
                String tag = s.substring(s.lastIndexOf(':', j - 1) >= nameStart ? s.lastIndexOf(':', j - 1) + 1 : nameStart, j);
                if (DANGEROUS_TAGS.contains(tag) && c != '/') {
                    return "tag:" + tag;
                }
                String attr = scanAttributes(s, j);
                if (attr != null) {
                    return attr;
                }
            }
            i = s.indexOf('<', i + 1);
        }
        return null;
    }

    /** Scans {@code name=value} pairs from {@code from} up to the end of the tag. */
    private static String scanAttributes(String s, int from) {
        int n = s.length();
        int i = from;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '>') {
                return null;
            }
            if (!isNameStart(c)) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && (isNameChar(s.charAt(j)) || s.charAt(j) == ':')) {
                j++;
            }
            String name = s.substring(i, j);
            int k = skipSpace(s, j);
            if (k < n && s.charAt(k) == '=') {
                int v = skipSpace(s, k + 1);
                if (name.length() > 2 && name.startsWith("on") && isLetters(name, 2)) {
                    return "attr:" + name;
                }
                if (URL_ATTRIBUTES.contains(name) && (startsWithScriptUrl(s, v) || scriptStyle(s, v, name))) {
                    return "url:" + name;
                }
                i = skipValue(s, v);
            } else {
                i = j;
            }
        }
        return null;
    }

    private static boolean scriptStyle(String s, int v, String name) {
        if (!name.equals("style")) {
            return false;
        }
        int end = Math.min(s.length(), v + 256);
        String value = s.substring(v, end);
        return value.contains("expression(") || value.contains("javascript:") || value.contains("behavior:");
    }

    private static boolean startsWithScriptUrl(String s, int from) {
        int i = from;
        int n = s.length();
        while (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'' || s.charAt(i) == '`'
                || s.charAt(i) <= ' ')) {
            i++;
        }
        // Browsers ignore tabs and newlines inside the scheme.
        StringBuilder scheme = new StringBuilder();
        while (i < n && scheme.length() < 16) {
            char c = s.charAt(i++);
            if (c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (c == ':') {
                String sc = scheme.toString();
                return sc.equals("javascript") || sc.equals("vbscript") || sc.equals("livescript")
                        || (sc.equals("data") && s.startsWith("text/html", i));
            }
            if (!Character.isLetter(c)) {
                return false;
            }
            scheme.append(c);
        }
        return false;
    }

    private static int skipValue(String s, int v) {
        int n = s.length();
        if (v >= n) {
            return n;
        }
        char q = s.charAt(v);
        if (q == '"' || q == '\'' || q == '`') {
            int end = s.indexOf(q, v + 1);
            return end < 0 ? n : end + 1;
        }
        int i = v;
        while (i < n && s.charAt(i) != '>' && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == '/')) {
            i++;
        }
        return i;
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == '/') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isLetters(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isLetter(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
