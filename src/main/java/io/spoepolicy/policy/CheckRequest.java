package io.spoepolicy.policy;

/**
 * The default SPOE message and its argument names, as wired by {@code docs/haproxy/spoe.conf}:
 *
 * <pre>
 * spoe-message check-request
 *     args ip=src method=method path=path query=query headers=req.hdrs_bin body=req.body
 *     event on-frontend-http-request
 * </pre>
 *
 * Configurations and dashboards depend on these names; they do not change.
 */
public final class CheckRequest {

    public static final String MESSAGE = "check-request";

    public static final String IP = "ip";
    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String QUERY = "query";
    public static final String HEADERS = "headers";
    public static final String BODY = "body";

    private CheckRequest() {
    }
}
