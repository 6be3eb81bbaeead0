package io.spoepolicy.policy.auth;

/**
 * What a cache of the JWT policy did since it (or the family keeping its counts) was created, for
 * metrics: never decreasing while the counts' owner lives.
 *
 * @param hits lookups that found their entry
 * @param misses lookups that did not
 * @param evictions entries removed by the size bound or by expiry (never by invalidation)
 */
public record CacheCounts(long hits, long misses, long evictions) {
}
