package io.spoepolicy.server.warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import io.spoepolicy.server.WarmupConnections;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.SpopTestClient;

/**
 * Plays HAProxy's part on one loopback connection to the agent's own listener: HELLO, then
 * pipelined NOTIFYs in windows, each answered by an ACK, then DISCONNECT. Blocking I/O on the
 * calling (startup) thread, never on an event loop; every read is bounded by the deadline.
 */
final class WarmupClient {

    /** The engine-id HAProxy would send; shows in debug logs of the session. */
    static final String ENGINE_ID = "spoe-policy-service-warmup";

    private static final int MAX_FRAME_SIZE = 16380;

    private final WarmupConnections connections;
    private final WarmupTraffic traffic = new WarmupTraffic();

    WarmupClient(WarmupConnections connections) {
        this.connections = connections;
    }

    /**
     * Sends {@code requests} NOTIFYs, {@code window} at a time, until all are acknowledged or the
     * deadline ({@link System#nanoTime()}) passes.
     *
     * @return the number of ACKs received
     * @throws SocketTimeoutException when the deadline passed; {@link Progress#acknowledged} holds the count
     * @throws IOException when the connection failed or the agent refused it
     */
    int run(InetSocketAddress listener, int requests, int window, long deadlineNanos, Progress progress)
            throws IOException {
        InetAddress target = listener.getAddress() == null || listener.getAddress().isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress() : listener.getAddress();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(target, 0));
            InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
            connections.reserve(local);
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(target, listener.getPort()), remainingMillis(deadlineNanos));
                SpopTestClient client = SpopTestClient.over(socket);
                client.send(HaproxyFrames.hello(MAX_FRAME_SIZE, "pipelining", ENGINE_ID));
                expect(client, deadlineNanos, AgentFrame.Hello.class);
                int sent = 0;
                while (sent < requests) {
                    int batch = Math.min(window, requests - sent);
                    // One write for the window, as HAProxy pipelines: the session reads them in one pass.
                    byte[][] frames = new byte[batch][];
                    int size = 0;
                    for (int i = 0; i < batch; i++) {
                        frames[i] = traffic.notify(sent + i);
                        size += frames[i].length;
                    }
                    byte[] bytes = new byte[size];
                    int at = 0;
                    for (byte[] frame : frames) {
                        System.arraycopy(frame, 0, bytes, at, frame.length);
                        at += frame.length;
                    }
                    client.send(bytes);
                    sent += batch;
                    for (int i = 0; i < batch; i++) {
                        expect(client, deadlineNanos, AgentFrame.Ack.class);
                        progress.acknowledged++;
                    }
                }
                client.send(HaproxyFrames.disconnect(0, "warm-up done"));
                return progress.acknowledged;
            }
            finally {
                connections.release(local);
            }
        }
    }

    /** Reads one frame and checks its type; an AGENT-DISCONNECT or other type is a failure. */
    private static void expect(SpopTestClient client, long deadlineNanos, Class<? extends AgentFrame> type)
            throws IOException {
        client.socket().setSoTimeout(remainingMillis(deadlineNanos));
        AgentFrame frame = client.receive();
        if (!type.isInstance(frame)) {
            throw new IOException("expected " + type.getSimpleName() + ", agent sent " + frame);
        }
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long nanos = deadlineNanos - System.nanoTime();
        if (nanos <= 0) {
            throw new SocketTimeoutException("warm-up deadline passed");
        }
        // Rounded up: a read timeout truncated to whole milliseconds would end before the deadline.
        return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /** Counts ACKs as they arrive, so a timed-out run still reports how far it got. */
    static final class Progress {
        int acknowledged;
    }

}
