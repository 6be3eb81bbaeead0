package io.spoepolicy.server.warmup;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.server.WarmupConnections;
import io.spoepolicy.testkit.HaproxyFrames;

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
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                out.write(HaproxyFrames.hello(MAX_FRAME_SIZE, "pipelining", ENGINE_ID));
                out.flush();
                expect(in, socket, deadlineNanos, FrameType.AGENT_HELLO);
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
                    out.write(bytes);
                    out.flush();
                    sent += batch;
                    for (int i = 0; i < batch; i++) {
                        expect(in, socket, deadlineNanos, FrameType.ACK);
                        progress.acknowledged++;
                    }
                }
                out.write(HaproxyFrames.disconnect(0, "warm-up done"));
                out.flush();
                return progress.acknowledged;
            }
            finally {
                connections.release(local);
            }
        }
    }

    /** Reads one frame and checks its type; an AGENT-DISCONNECT or other type is a failure. */
    private static void expect(DataInputStream in, Socket socket, long deadlineNanos, FrameType type)
            throws IOException {
        socket.setSoTimeout(remainingMillis(deadlineNanos));
        int length = in.readInt();
        if (length <= 0 || length > MAX_FRAME_SIZE) {
            throw new IOException("agent sent a frame of " + length + " bytes");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        int received = body[0] & 0xff;
        if (received != type.id()) {
            throw new IOException("expected " + type + ", agent sent frame type " + received
                    + (received == FrameType.AGENT_DISCONNECT.id() ? " (AGENT-DISCONNECT)" : ""));
        }
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long millis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new SocketTimeoutException("warm-up deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** Counts ACKs as they arrive, so a timed-out run still reports how far it got. */
    static final class Progress {
        int acknowledged;
    }

}
