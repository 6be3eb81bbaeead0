package io.spoepolicy.policy.waf;

import java.util.List;
import java.util.Set;

/**
 * The engine's verdict on one request.
 *
 * @param action what HAProxy should do; always {@link WafAction#ALLOW} in detect-only mode
 * @param anomalyScore inbound anomaly score at the blocking paranoia level
 * @param matchedRuleIds ids of the logging rules that matched, in evaluation order, no duplicates
 * @param message short reason, e.g. the blocking rule's message; empty when nothing matched
 * @param wouldDeny whether the request would have been denied; differs from {@code action} only
 *     in detect-only mode
 * @param capsHit inspection limits that were reached
 */
public record WafResult(
        WafAction action,
        int anomalyScore,
        List<Long> matchedRuleIds,
        String message,
        boolean wouldDeny,
        Set<InspectionCap> capsHit) {

    public WafResult {
        matchedRuleIds = List.copyOf(matchedRuleIds);
        capsHit = Set.copyOf(capsHit);
        message = message == null ? "" : message;
    }

    /** Matched ids joined by spaces, as exported to HAProxy. */
    public String matchedRuleIdsText() {
        StringBuilder sb = new StringBuilder();
        for (Long id : matchedRuleIds) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(id);
        }
        return sb.toString();
    }
}
