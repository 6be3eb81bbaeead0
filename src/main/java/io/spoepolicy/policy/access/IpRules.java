package io.spoepolicy.policy.access;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.settings.PolicyConfigurationException;

/**
 * One compiled set of IP rules (the top-level one or a scope's): every network in one trie, so
 * that the longest prefix decides across the deny, allow and trusted lists.
 */
final class IpRules {

    enum Access {
        DENY, ALLOW, TRUST
    }

    private final NetworkList<Access> networks = new NetworkList<>();
    private final IpAccessProperties.DefaultAction defaultAction;
    private final int denyStatus;
    private final List<Path> files = new ArrayList<>();

    /**
     * @param prefix property prefix for error messages, e.g. {@code spoe.policies.ip-access.scopes[1]}
     */
    IpRules(String prefix, Lists lists, IpAccessProperties.DefaultAction defaultAction, int denyStatus) {
        this.defaultAction = defaultAction;
        this.denyStatus = denyStatus;
        // Order matters for an identical network in several lists: the last one added wins.
        add(prefix + ".deny", lists.deny(), Access.DENY);
        addFiles(prefix + ".deny-files", lists.denyFiles(), Access.DENY);
        add(prefix + ".allow", lists.allow(), Access.ALLOW);
        addFiles(prefix + ".allow-files", lists.allowFiles(), Access.ALLOW);
        add(prefix + ".trusted", lists.trusted(), Access.TRUST);
        addFiles(prefix + ".trusted-files", lists.trustedFiles(), Access.TRUST);
    }

    private void add(String property, List<String> entries, Access access) {
        for (int i = 0; i < entries.size(); i++) {
            try {
                networks.add(entries.get(i), access);
            }
            catch (IllegalArgumentException ex) {
                throw new PolicyConfigurationException(property + "[" + i + "]", ex.getMessage(), ex);
            }
        }
    }

    private void addFiles(String property, List<String> entries, Access access) {
        List<Path> paths = NetworkFile.paths(entries);
        for (int i = 0; i < paths.size(); i++) {
            try {
                NetworkFile.addAll(paths.get(i), networks, access);
            }
            catch (IllegalArgumentException ex) {
                throw new PolicyConfigurationException(property + "[" + i + "]", ex.getMessage(), ex);
            }
            files.add(paths.get(i));
        }
    }

    Decision decide(InetAddress client) {
        if (client == null) {
            return defaultAction == IpAccessProperties.DefaultAction.DENY
                    ? Decision.deny(denyStatus, "ip-missing") : Decision.allow();
        }
        Access access = networks.match(client);
        if (access == null) {
            access = defaultAction == IpAccessProperties.DefaultAction.ALLOW ? Access.ALLOW : Access.DENY;
        }
        return switch (access) {
            case TRUST -> Decision.bypass("trusted-network");
            case ALLOW -> Decision.allow();
            case DENY -> Decision.deny(denyStatus, "ip-denied");
        };
    }

    List<Path> files() {
        return files;
    }

    int size() {
        return networks.size();
    }

    /** The six network lists of one rule set. */
    record Lists(List<String> allow, List<String> deny, List<String> trusted, List<String> allowFiles,
            List<String> denyFiles, List<String> trustedFiles) {
    }
}
