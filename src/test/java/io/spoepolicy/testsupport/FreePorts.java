package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1, for servers a test starts on a port it must know in advance
 * (HAProxy, agents, Redis). Ports already handed out in this JVM are never handed out twice,
 * because the test starting second would otherwise steal a port that the first one has reserved
 * but not yet bound (HAProxy binds only after validating its config).
 *
 * <p>The ports come from below the kernel's ephemeral range ({@code ip_local_port_range}), not from
 * the kernel's own choice: between being handed out and being bound (a second or more while HAProxy
 * checks its config or an agent starts) a port is free, and within the ephemeral range the kernel
 * may give it to anything else in that moment: the local end of an outgoing connection (HTTP load,
 * HAProxy connecting to an agent, a Redis client) or a server bound to port 0 (the Spring contexts'
 * HTTP, management and SPOP listeners). Below that range the kernel assigns nothing by itself, so
 * only another explicit bind can take the port. Where the range cannot be read or leaves no room
 * below it, the kernel picks, as before.
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** Lowest port handed out: clear of the well-known and most registered service ports. */
    private static final int LOWEST = 10_000;
    /** Fewer candidates than this below the ephemeral range: use the kernel's choice instead. */
    private static final int MINIMUM_RANGE = 1_000;
    private static final int EPHEMERAL_LOW = ephemeralRangeStart();

    private FreePorts() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = EPHEMERAL_LOW - LOWEST >= MINIMUM_RANGE
                    ? probe(ThreadLocalRandom.current().nextInt(LOWEST, EPHEMERAL_LOW))
                    : probe(0);
            if (port > 0 && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no fresh free loopback port after 200 attempts");
    }

    public static int[] next(int count) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = next();
        }
        return ports;
    }

    public static boolean isListening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The port if it can be bound now (0: the kernel's choice), -1 if it is taken. */
    private static int probe(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // No SO_REUSEADDR: a port with connections in TIME_WAIT is not reported as free.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            if (port == 0) {
                throw new UncheckedIOException("cannot bind an ephemeral loopback port", e);
            }
            return -1;
        }
    }

    /** The first port of the kernel's ephemeral range; 0 (no room below it) where unknown. */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
