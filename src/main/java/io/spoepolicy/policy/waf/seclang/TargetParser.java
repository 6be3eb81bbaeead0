package io.spoepolicy.policy.waf.seclang;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.spoepolicy.policy.waf.rules.Target;
import io.spoepolicy.policy.waf.rules.UnsupportedConstructException;
import io.spoepolicy.policy.waf.rules.Variable;
import java.util.ArrayList;
import java.util.List;

/** Parses a rule's variable list ({@code ARGS|!ARGS:foo|&TX:x|TX:/^re/|XML:/*}). */
public final class TargetParser {

    /** Inspected targets and exclusions of one variable list. */
    public record Targets(List<Target> targets, List<Target> exclusions) {}

    private TargetParser() {}

    public static Targets parse(String text) throws UnsupportedConstructException {
        List<Target> targets = new ArrayList<>();
        List<Target> exclusions = new ArrayList<>();
        for (String item : split(text)) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            boolean exclude = s.startsWith("!");
            if (exclude) {
                s = s.substring(1);
            }
            boolean count = s.startsWith("&");
            if (count) {
                s = s.substring(1);
            }
            Target t = single(s, count);
            (exclude ? exclusions : targets).add(t);
        }
        return new Targets(targets, exclusions);
    }

    static Target single(String s, boolean count) throws UnsupportedConstructException {
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        Variable v = Variable.byName(name);
        if (v == null) {
            throw new UnsupportedConstructException("variable " + name);
        }
        if (colon < 0) {
            return new Target(v, null, null, count);
        }
        String key = s.substring(colon + 1);
        if (key.length() >= 2 && key.startsWith("'") && key.endsWith("'")) {
            key = key.substring(1, key.length() - 1);
        }
        if (v != Variable.XML && key.length() >= 2 && key.startsWith("/") && key.endsWith("/")) {
            try {
                return new Target(v, null, Pattern.compile(key.substring(1, key.length() - 1),
                        Pattern.CASE_INSENSITIVE), count);
            } catch (PatternSyntaxException e) {
                throw new UnsupportedConstructException("variable key regex: " + e.getMessage());
            }
        }
        if (!v.isCollection()) {
            throw new UnsupportedConstructException("key on scalar variable " + name);
        }
        return new Target(v, key, null, count);
    }

    /** Splits on '|' except inside a {@code /regex/} key, where '|' is alternation. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int n = text.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == ':' && i + 1 < n && text.charAt(i + 1) == '/' && !text.startsWith("XML", start)
                    && !text.startsWith("!XML", start)) {
                // Regex key: runs to the '/' that is followed by '|' or the end.
                int j = i + 2;
                while (j < n && !(text.charAt(j) == '/' && text.charAt(j - 1) != '\\'
                        && (j + 1 == n || text.charAt(j + 1) == '|'))) {
                    j++;
                }
                i = j + 1;
                continue;
            }
            if (c == '|') {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
            i++;
        }
        parts.add(text.substring(start));
        return parts;
    }
}
