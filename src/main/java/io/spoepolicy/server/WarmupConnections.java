package io.spoepolicy.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client addresses of the agent's own start-up warm-up connections. The warm-up client binds
 * its socket to a local address and ephemeral port, reserves that pair here, then connects: the
 * listener recognises the connection by its peer address before reading a byte from it. Nothing
 * on the wire marks it, so HAProxy or anyone else cannot claim to be the warm-up: the pair is
 * held by the agent's own bound socket for as long as it is reserved.
 */
public final class WarmupConnections {

    private final Set<InetSocketAddress> reserved = ConcurrentHashMap.newKeySet();

    /** Reserves a bound, not yet connected, client address; release it when the socket closes. */
    public void reserve(InetSocketAddress local) {
        reserved.add(local);
    }

    public void release(InetSocketAddress local) {
        reserved.remove(local);
    }

    /**
     * Whether a connection from this peer is a warm-up connection. A loopback client may be seen
     * as another loopback form (an IPv4-mapped address on a dual-stack listener), so for loopback
     * the port decides among loopback addresses.
     */
    boolean isWarmup(SocketAddress peer) {
        if (reserved.isEmpty() || !(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        if (reserved.contains(inet)) {
            return true;
        }
        if (!inet.getAddress().isLoopbackAddress()) {
            return false;
        }
        for (InetSocketAddress local : reserved) {
            if (local.getPort() == inet.getPort() && local.getAddress().isLoopbackAddress()) {
                return true;
            }
        }
        return false;
    }
}
