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
 * @param regex how the {@code @rx} patterns were compiled (DFA coverage and memory)
 */
public record WafLoadReport(List<String> sources, int rulesLoaded, List<SkippedRule> skipped,
        List<SkippedRule> degraded, WafRegexReport regex) {

    public WafLoadReport {
        sources = List.copyOf(sources);
        skipped = List.copyOf(skipped);
        degraded = List.copyOf(degraded);
        regex = regex == null ? WafRegexReport.NONE : regex;
    }

    public WafLoadReport(List<String> sources, int rulesLoaded, List<SkippedRule> skipped, List<SkippedRule> degraded) {
        this(sources, rulesLoaded, skipped, degraded, WafRegexReport.NONE);
    }

    /** One-line summary for logs. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(rulesLoaded).append(" rules loaded from ").append(sources.size()).append(" files; ")
                .append(regex.summary());
        if (!skipped.isEmpty()) {
            sb.append("; ").append(skipped.size()).append(" skipped:");
            for (SkippedRule s : skipped) {
                sb.append(' ').append(s.ruleId()).append(" (").append(s.reason()).append(')');
            }
        }
        return sb.toString();
    }
}
