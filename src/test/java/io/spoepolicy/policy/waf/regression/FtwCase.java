package io.spoepolicy.policy.waf.regression;

import java.util.List;

/** One go-ftw test: a rule file, the rule it targets, its id and its stages. */
record FtwCase(String ruleFile, long ruleId, String testId, String description, List<FtwStage> stages) {

    String name() {
        return ruleId + "-" + testId;
    }
}
