package io.spoepolicy.policy.waf.operator;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;

/** {@code @ipMatch}: the input address lies in one of the listed addresses or CIDR blocks. */
public final class IpMatchOperator implements Operator {

    private final List<IPAddress> networks;

    private IpMatchOperator(List<IPAddress> networks) {
        this.networks = networks;
    }

    public static IpMatchOperator parse(String parameter) {
        List<IPAddress> networks = new ArrayList<>();
        for (String part : parameter.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            IPAddress a = new IPAddressString(part).getAddress();
            if (a == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + part);
            }
            networks.add(a.isPrefixed() ? a.toPrefixBlock() : a);
        }
        return new IpMatchOperator(List.copyOf(networks));
    }

    @Override
    public boolean matches(String input, OperatorContext context) {
        IPAddress address = new IPAddressString(input.trim()).getAddress();
        if (address == null) {
            return false;
        }
        for (IPAddress network : networks) {
            if (network.getIPVersion() == address.getIPVersion() && network.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
