package io.spoepolicy.policy.scope;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a scoped rule applies: any of its host patterns and any of its path prefixes; an empty
 * list matches everything.
 *
 * @param hosts host patterns, empty for every host
 * @param paths path prefixes, empty for every path
 */
public record Scope(List<HostPattern> hosts, List<PathPrefix> paths) {

    public static final Scope EVERYWHERE = new Scope(List.of(), List.of());

    public Scope {
        hosts = List.copyOf(hosts);
        paths = List.copyOf(paths);
    }

    /**
     * Parses configuration text.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static Scope of(List<String> hosts, List<String> paths) {
        List<HostPattern> hostPatterns = new ArrayList<>();
        for (String host : hosts == null ? List.<String>of() : hosts) {
            hostPatterns.add(HostPattern.parse(host));
        }
        List<PathPrefix> prefixes = new ArrayList<>();
        for (String path : paths == null ? List.<String>of() : paths) {
            prefixes.add(PathPrefix.parse(path));
        }
        return new Scope(hostPatterns, prefixes);
    }

    /** How specifically this scope matches the target, or {@code null} when it does not. */
    public Specificity match(RequestTarget target) {
        int host = 0;
        if (!hosts.isEmpty()) {
            host = -1;
            for (HostPattern pattern : hosts) {
                if (pattern.matches(target.host())) {
                    host = Math.max(host, pattern.specificity());
                }
            }
            if (host < 0) {
                return null;
            }
        }
        int path = 0;
        if (!paths.isEmpty()) {
            path = -1;
            for (PathPrefix prefix : paths) {
                if (prefix.matches(target.path())) {
                    path = Math.max(path, prefix.specificity());
                }
            }
            if (path < 0) {
                return null;
            }
        }
        return new Specificity(host, path);
    }

    /** The path prefix of this scope that matched, for path-keyed limits; {@code /} when none. */
    public String matchedPath(RequestTarget target) {
        PathPrefix best = null;
        for (PathPrefix prefix : paths) {
            if (prefix.matches(target.path()) && (best == null || prefix.specificity() > best.specificity())) {
                best = prefix;
            }
        }
        return best == null ? "/" : best.prefix();
    }

    /**
     * Ordering of matches: the host decides first (exact beats wildcard beats any), then the
     * longest path prefix.
     */
    public record Specificity(int host, int path) implements Comparable<Specificity> {
        @Override
        public int compareTo(Specificity other) {
            int byHost = Integer.compare(host, other.host);
            return byHost != 0 ? byHost : Integer.compare(path, other.path);
        }
    }
}
