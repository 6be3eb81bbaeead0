package io.spoepolicy.policy.waf.regression;

import java.util.List;

/**
 * The result of replaying one go-ftw case.
 *
 * @param testCase the case
 * @param status outcome
 * @param reason why the case is not applicable, or a diagnosis of a failure
 * @param negative whether the case only asserts that ids do not fire
 * @param engineOnlyPassed for cases HAProxy would not carry: whether the engine alone passes
 *     them ({@code null} when they could not be evaluated at all)
 * @param missing expected ids that did not fire
 * @param unexpected ids that fired although the case forbids them
 */
record CaseOutcome(FtwCase testCase, Status status, String reason, boolean negative,
        Boolean engineOnlyPassed, List<Long> missing, List<Long> unexpected) {

    enum Status {
        PASSED,
        FAILED,
        FALSE_POSITIVE,
        NOT_APPLICABLE
    }
}
