package io.spoepolicy.policy.waf;

import java.util.Set;

/**
 * Rules switched off for some requests, like CRS's {@code ctl:ruleRemoveById} /
 * {@code ruleRemoveByTag} exclusions but configured outside the rule files.
 *
 * @param host lower-case Host header value (port ignored) the exclusion applies to, or
 *     {@code null} for every host
 * @param pathPrefix raw path prefix the exclusion applies to, or {@code null} for every path
 * @param ruleIds rule ids removed
 * @param tags rule tags removed (exact, case-sensitive as in CRS)
 */
public record RuleExclusion(String host, String pathPrefix, Set<Long> ruleIds, Set<String> tags) {

    public RuleExclusion {
        ruleIds = ruleIds == null ? Set.of() : Set.copyOf(ruleIds);
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        host = host == null || host.isBlank() ? null : host.toLowerCase(java.util.Locale.ROOT);
        pathPrefix = pathPrefix == null || pathPrefix.isEmpty() ? null : pathPrefix;
    }

    public boolean appliesTo(String requestHost, String path) {
        if (host != null) {
            if (requestHost == null) {
                return false;
            }
            String h = requestHost.toLowerCase(java.util.Locale.ROOT);
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(']') < colon) {
                h = h.substring(0, colon);
            }
            if (!h.equals(host)) {
                return false;
            }
        }
        return pathPrefix == null || path.startsWith(pathPrefix);
    }
}
