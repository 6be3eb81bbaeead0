package io.spoepolicy.policy.ratelimit;

import io.spoepolicy.policy.scope.Scope;

/**
 * The limit that applies in one scope and what its buckets are keyed by.
 *
 * @param name bucket name, part of every key
 * @param scope where it applies (for {@code path} keys: the matched prefix)
 * @param limit the limit
 * @param key what a bucket is per
 * @param header the header for {@code header} keys
 * @param denyStatus status of a rate-limited request
 */
record LimitRule(String name, Scope scope, RateLimit limit, RateLimitProperties.KeySource key, String header,
        int denyStatus) {
}
