package io.spoepolicy.policy.scope;

import io.spoepolicy.policy.PolicyRequest;

/**
 * What scopes match on: the request's host (from the {@code Host} header, normalized by
 * {@link HostPattern#normalizeHost}) and its normalized path. Computed once per request and kept
 * as a request attribute, since every scoped policy of the chain needs it.
 *
 * @param host normalized host, empty when the message carries no {@code Host} header
 * @param path normalized path, {@code /} when the message carries no path
 */
public record RequestTarget(String host, String path) {

    static final String ATTRIBUTE = RequestTarget.class.getName();

    public static RequestTarget of(String host, String path) {
        return new RequestTarget(HostPattern.normalizeHost(host), PathNormalizer.normalize(path));
    }

    public static RequestTarget of(PolicyRequest request) {
        RequestTarget target = request.attribute(ATTRIBUTE, RequestTarget.class);
        if (target == null) {
            target = of(request.headers().first("host"), request.path());
            request.attribute(ATTRIBUTE, target);
        }
        return target;
    }
}
