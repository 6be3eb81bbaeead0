package io.spoepolicy.policy.waf.seclang;

import java.util.ArrayList;
import java.util.List;

/** Splits a SecLang action list ({@code id:1,phase:2,msg:'a, b'}) into name/value pairs. */
public final class ActionParser {

    /** One action; {@code value} is {@code null} for flags like {@code pass}. */
    public record RawAction(String name, String value) {}

    private ActionParser() {}

    public static List<RawAction> parse(String text) {
        List<RawAction> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int nameStart = i;
            while (i < n && text.charAt(i) != ':' && text.charAt(i) != ',') {
                i++;
            }
            String name = text.substring(nameStart, i).strip();
            String value = null;
            if (i < n && text.charAt(i) == ':') {
                i++;
                while (i < n && text.charAt(i) == ' ') {
                    i++;
                }
                StringBuilder sb = new StringBuilder();
                if (i < n && text.charAt(i) == '\'') {
                    i++;
                    while (i < n && text.charAt(i) != '\'') {
                        if (text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) == '\'') {
                            i++;
                        }
                        sb.append(text.charAt(i));
                        i++;
                    }
                    i++;
                } else {
                    while (i < n && text.charAt(i) != ',') {
                        sb.append(text.charAt(i));
                        i++;
                    }
                }
                value = sb.toString().strip();
            }
            out.add(new RawAction(name, value));
        }
        return out;
    }
}
