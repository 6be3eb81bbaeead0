package io.spoepolicy.policy.waf.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A string with {@code %{COLLECTION.key}} / {@code %{VARIABLE}} references, parsed once at load
 * time so that evaluation only concatenates.
 */
public final class Macro {

    /** A reference inside a macro: variable name (upper-case) and optional lower-case key. */
    public record Ref(String variable, String key) {}

    /** Resolves references while a request is evaluated. */
    @FunctionalInterface
    public interface Resolver {
        String resolve(Ref ref);
    }

    private final String text;
    private final Object[] parts;

    private Macro(String text, Object[] parts) {
        this.text = text;
        this.parts = parts;
    }

    public static Macro parse(String text) {
        List<Object> parts = new ArrayList<>();
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < text.length()) {
            int start = text.indexOf("%{", i);
            int end = start < 0 ? -1 : text.indexOf('}', start + 2);
            if (start < 0 || end < 0) {
                literal.append(text, i, text.length());
                break;
            }
            literal.append(text, i, start);
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            String ref = text.substring(start + 2, end);
            int dot = ref.indexOf('.');
            String variable = (dot < 0 ? ref : ref.substring(0, dot)).toUpperCase(Locale.ROOT);
            String key = dot < 0 ? null : ref.substring(dot + 1).toLowerCase(Locale.ROOT);
            parts.add(new Ref(variable, key));
            i = end + 1;
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new Macro(text, parts.toArray());
    }

    public boolean isConstant() {
        return parts.length == 0 || (parts.length == 1 && parts[0] instanceof String);
    }

    public String expand(Resolver resolver) {
        if (parts.length == 0) {
            return "";
        }
        if (parts.length == 1 && parts[0] instanceof String s) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String s) {
                sb.append(s);
            } else {
                String v = resolver.resolve((Ref) part);
                if (v != null) {
                    sb.append(v);
                }
            }
        }
        return sb.toString();
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
