package io.spoepolicy.policy.waf.rules;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * One entry of a rule's variable list, such as {@code ARGS}, {@code REQUEST_HEADERS:User-Agent},
 * {@code TX:/^header_name_/} or {@code &ARGS}. Exclusions ({@code !ARGS:foo}) use the same type.
 *
 * @param variable the variable
 * @param key lower-case key for {@code VAR:key}, else {@code null}
 * @param keyPattern pattern for {@code VAR:/regex/}, else {@code null}
 * @param count whether the rule inspects the number of values ({@code &VAR}) instead of them
 */
public record Target(Variable variable, String key, Pattern keyPattern, boolean count) {

    public Target {
        key = key == null ? null : key.toLowerCase(Locale.ROOT);
    }

    /** Whether a value with this collection key is selected by this target. */
    public boolean selects(String entryKey) {
        if (key != null) {
            return key.equalsIgnoreCase(entryKey);
        }
        if (keyPattern != null) {
            return keyPattern.matcher(entryKey).find();
        }
        return true;
    }

    @Override
    public String toString() {
        String k = key != null ? ":" + key : keyPattern != null ? ":/" + keyPattern.pattern() + "/" : "";
        return (count ? "&" : "") + variable + k;
    }
}
