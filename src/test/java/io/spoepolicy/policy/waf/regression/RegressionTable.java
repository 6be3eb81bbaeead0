package io.spoepolicy.policy.waf.regression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Aggregates case outcomes per rule file and renders the Markdown table for docs/waf.md. */
final class RegressionTable {

    /** Figures of one rule file (or the total). */
    static final class Row {
        int cases;
        int applicable;
        int passed;
        int failed;
        int falsePositives;
        int negativeCases;
        int negativeFalsePositives;
        int notApplicable;
        int engineOnlyPassed;
        int engineOnlyEvaluated;

        void add(CaseOutcome o) {
            cases++;
            switch (o.status()) {
                case NOT_APPLICABLE -> {
                    notApplicable++;
                    if (o.engineOnlyPassed() != null) {
                        engineOnlyEvaluated++;
                        if (o.engineOnlyPassed()) {
                            engineOnlyPassed++;
                        }
                    }
                    return;
                }
                case PASSED -> passed++;
                case FAILED -> failed++;
                case FALSE_POSITIVE -> falsePositives++;
            }
            applicable++;
            if (o.negative()) {
                negativeCases++;
                if (o.status() == CaseOutcome.Status.FALSE_POSITIVE) {
                    negativeFalsePositives++;
                }
            }
        }

        double passRate() {
            return applicable == 0 ? 1.0 : (double) passed / applicable;
        }
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private final Row total = new Row();
    private final List<CaseOutcome> outcomes = new ArrayList<>();

    void add(CaseOutcome o) {
        outcomes.add(o);
        rows.computeIfAbsent(o.testCase().ruleFile(), k -> new Row()).add(o);
        total.add(o);
    }

    Row total() {
        return total;
    }

    List<CaseOutcome> outcomes() {
        return outcomes;
    }

    String markdown(String setupLine) {
        StringBuilder sb = new StringBuilder();
        sb.append(setupLine).append("\n\n");
        sb.append("| Rule file | Cases | Applicable | Passed | Pass rate | Missed | False positives | "
                + "FP in negative cases | Not applicable | Engine-only on N/A |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            line(sb, e.getKey(), e.getValue(), false);
        }
        line(sb, "**Total**", total, true);
        sb.append("\n*Missed*: an expected rule id did not fire. *False positives*: a rule id the case "
                + "forbids fired. *Engine-only on N/A*: not-applicable cases that the engine still "
                + "passes when fed directly (they never reach it behind HAProxy).\n\n");
        Map<String, Integer> reasons = new TreeMap<>();
        for (CaseOutcome o : outcomes) {
            if (o.status() == CaseOutcome.Status.NOT_APPLICABLE) {
                reasons.merge(o.reason(), 1, Integer::sum);
            }
        }
        sb.append("Not-applicable reasons:\n\n| Reason | Cases |\n|---|---:|\n");
        reasons.forEach((r, n) -> sb.append("| ").append(r.replace("|", "\\|")).append(" | ").append(n).append(" |\n"));
        sb.append("\nCases that fail (id: missing / unexpected):\n\n");
        List<String> failing = new ArrayList<>();
        for (CaseOutcome o : outcomes) {
            if (o.status() == CaseOutcome.Status.FAILED || o.status() == CaseOutcome.Status.FALSE_POSITIVE) {
                failing.add(o.testCase().name() + " (" + (o.missing().isEmpty() ? "" : "missing " + o.missing())
                        + (o.unexpected().isEmpty() ? "" : " unexpected " + o.unexpected()) + ")");
            }
        }
        sb.append(failing.isEmpty() ? "none" : String.join(", ", failing)).append("\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, Row r, boolean bold) {
        String b = bold ? "**" : "";
        sb.append("| ").append(name)
                .append(" | ").append(r.cases)
                .append(" | ").append(r.applicable)
                .append(" | ").append(b).append(r.passed).append(b)
                .append(" | ").append(b).append(String.format(java.util.Locale.ROOT, "%.2f %%", Math.floor(10000 * r.passRate()) / 100)).append(b)
                .append(" | ").append(r.failed)
                .append(" | ").append(r.falsePositives)
                .append(" | ").append(r.negativeFalsePositives).append(" / ").append(r.negativeCases)
                .append(" | ").append(r.notApplicable)
                .append(" | ").append(r.engineOnlyPassed).append(" / ").append(r.engineOnlyEvaluated)
                .append(" |\n");
    }
}
