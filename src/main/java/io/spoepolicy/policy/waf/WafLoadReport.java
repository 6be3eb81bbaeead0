package io.spoepolicy.policy.waf;

import java.util.List;

/**
 * What loading rules produced, for the startup log and the Actuator endpoint.
 *
 * @param sources rule files (or resources) read, in order
 * @param rulesLoaded top-level rules loaded (a chain counts once)
 * @param skipped rules not loaded because they use unsupported constructs, by id
 * @param degraded rules loaded with an unsupported, effect-free-here action ignored, and
 *     directives ignored
 */
public record WafLoadReport(
        List<String> sources, int rulesLoaded, List<SkippedRule> skipped, List<SkippedRule> degraded) {

    public WafLoadReport {
        sources = List.copyOf(sources);
        skipped = List.copyOf(skipped);
        degraded = List.copyOf(degraded);
    }

    /** One-line summary for logs. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(rulesLoaded).append(" rules loaded from ").append(sources.size()).append(" files");
        if (!skipped.isEmpty()) {
            sb.append("; ").append(skipped.size()).append(" skipped:");
            for (SkippedRule s : skipped) {
                sb.append(' ').append(s.ruleId()).append(" (").append(s.reason()).append(')');
            }
        }
        return sb.toString();
    }
}
