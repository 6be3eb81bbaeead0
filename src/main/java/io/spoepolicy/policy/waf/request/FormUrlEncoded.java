package io.spoepolicy.policy.waf.request;

import io.spoepolicy.policy.waf.transform.UrlDecoding;
import java.util.List;

/** Parses {@code a=1&b=2} (query strings and urlencoded bodies) into decoded entries. */
final class FormUrlEncoded {

    private FormUrlEncoded() {}

    /** Adds entries to {@code out}; returns false when {@code limit} stopped the parse. */
    static boolean parse(String text, List<Entry> out, int limit) {
        int n = text.length();
        int start = 0;
        while (start <= n) {
            int amp = text.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            if (end > start) {
                if (out.size() >= limit) {
                    return false;
                }
                int eq = text.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    out.add(new Entry(UrlDecoding.decode(text.substring(start, end), false), ""));
                } else {
                    out.add(new Entry(UrlDecoding.decode(text.substring(start, eq), false),
                            UrlDecoding.decode(text.substring(eq + 1, end), false)));
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return true;
    }
}
