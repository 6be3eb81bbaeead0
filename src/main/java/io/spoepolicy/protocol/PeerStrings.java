package io.spoepolicy.protocol;

/**
 * Makes a string that came off the wire (a DISCONNECT message, a message name) safe for a log
 * line: control, line-separator and format characters become {@code \\uXXXX} escapes and the
 * text is cut, so a peer can neither forge log lines nor flood one.
 */
public final class PeerStrings {

    private static final int MAX = 128;

    private PeerStrings() {
    }

    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        int end = Math.min(value.length(), MAX);
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (needsEscape(c)) {
                if (out == null) {
                    out = new StringBuilder(end + 16).append(value, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            }
            else if (out != null) {
                out.append(c);
            }
        }
        String text = out == null ? value.substring(0, end) : out.toString();
        return value.length() > MAX ? text + "..." : text;
    }

    private static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return c == '\\' || Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT || type == Character.SURROGATE;
    }
}
