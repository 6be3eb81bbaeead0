package io.spoepolicy.policy.waf.regression;

import java.util.List;
import java.util.Map;

/**
 * One go-ftw stage: the request input and what the WAF log must (not) show.
 *
 * @param input the {@code input} mapping as SnakeYAML read it
 * @param expectIds rule ids that must fire
 * @param noExpectIds rule ids that must not fire
 * @param expectedStatus HTTP status the test expects from the server, or {@code null}
 * @param expectError whether the client is expected to fail (malformed exchange)
 * @param logRegex whether the stage asserts on log text ({@code match_regex})
 */
record FtwStage(
        Map<String, Object> input,
        List<Long> expectIds,
        List<Long> noExpectIds,
        Integer expectedStatus,
        boolean expectError,
        boolean logRegex) {}
