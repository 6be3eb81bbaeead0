package io.spoepolicy.policy.access;

import java.net.InetAddress;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SyncSpoePolicy;

/**
 * Allows or denies by client address, with allow and deny networks resolved by longest-prefix
 * match (a /32 allow inside a /8 deny is allowed). A lookup is a trie walk of at most 128 steps,
 * so it runs inline on the event loop.
 */
public final class IpAccessPolicy implements SyncSpoePolicy {

    public static final String NAME = "ip-access";

    private final NetworkList<Boolean> networks = new NetworkList<>();
    private final IpAccessProperties properties;

    public IpAccessPolicy(IpAccessProperties properties) {
        this.properties = properties;
        try {
            networks.addAll(properties.deny(), Boolean.FALSE);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("spoe.policies.ip-access.deny: " + ex.getMessage(), ex);
        }
        try {
            // Added after the deny entries so that an identical network listed in both is allowed.
            networks.addAll(properties.allow(), Boolean.TRUE);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("spoe.policies.ip-access.allow: " + ex.getMessage(), ex);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Decision decide(PolicyRequest request) {
        InetAddress client = request.address(properties.argument());
        if (client == null) {
            return properties.defaultAction() == IpAccessProperties.DefaultAction.DENY
                    ? Decision.deny(properties.denyStatus(), "ip-missing") : Decision.allow();
        }
        Boolean allowed = networks.match(client);
        if (allowed == null) {
            allowed = properties.defaultAction() == IpAccessProperties.DefaultAction.ALLOW;
        }
        return allowed ? Decision.allow() : Decision.deny(properties.denyStatus(), "ip-denied");
    }
}
