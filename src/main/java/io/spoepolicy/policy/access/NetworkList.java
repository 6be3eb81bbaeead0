package io.spoepolicy.policy.access;

import java.net.InetAddress;
import java.util.List;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;

/**
 * Networks mapped to a value, answered by longest-prefix match in a binary trie: the most
 * specific network containing an address wins, whatever the order the entries were given in.
 * Built once, then only read (the tries are not modified after construction), so lookups are
 * safe from any thread.
 *
 * @param <V> value attached to each network
 */
public final class NetworkList<V> {

    private final IPv4AddressAssociativeTrie<V> v4 = new IPv4AddressAssociativeTrie<>();
    private final IPv6AddressAssociativeTrie<V> v6 = new IPv6AddressAssociativeTrie<>();
    private int size;

    /**
     * Adds a network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address.
     *
     * @throws IllegalArgumentException naming the entry when it is not an address or network
     */
    public void add(String network, V value) {
        IPAddress address;
        try {
            address = new IPAddressString(network.trim()).toAddress();
        }
        catch (AddressStringException ex) {
            throw new IllegalArgumentException("'" + network + "' is not an IP address or CIDR network: "
                    + ex.getMessage(), ex);
        }
        IPAddress block = address.isPrefixed() ? address.toPrefixBlock() : address;
        if (block.isIPv4()) {
            v4.put(block.toIPv4(), value);
        }
        else {
            v6.put(block.toIPv6(), value);
        }
        size++;
    }

    public void addAll(List<String> networks, V value) {
        for (String network : networks) {
            add(network, value);
        }
    }

    /** The value of the most specific network containing the address, or {@code null}. */
    public V match(InetAddress address) {
        if (address == null) {
            return null;
        }
        IPAddress ip = new IPAddressString(address.getHostAddress()).getAddress();
        if (ip == null) {
            return null;
        }
        if (ip.isIPv6() && ip.toIPv6().isIPv4Convertible()) {
            // An IPv4 client seen through a dual-stack listener: match it against IPv4 entries.
            ip = ip.toIPv6().toIPv4();
        }
        if (ip.isIPv4()) {
            var node = v4.longestPrefixMatchNode((IPv4Address) ip);
            return node == null ? null : node.getValue();
        }
        var node = v6.longestPrefixMatchNode((IPv6Address) ip);
        return node == null ? null : node.getValue();
    }

    public int size() {
        return size;
    }
}
