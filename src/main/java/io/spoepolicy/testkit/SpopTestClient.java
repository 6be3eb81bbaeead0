package io.spoepolicy.testkit;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.Payloads;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.protocol.Varint;

/**
 * A blocking SPOP client that plays HAProxy's part over a real socket: send HELLO, NOTIFY,
 * DISCONNECT or raw bytes, read what the agent answers. For tests of policy beans and of the
 * protocol itself; not thread-safe.
 *
 * <pre>
 * try (SpopTestClient client = SpopTestClient.connect("127.0.0.1", port)) {
 *     client.handshake();
 *     AgentFrame.Ack ack = client.request(MessageBuilder.checkRequest().ip("10.0.0.1").path("/admin").build());
 *     assertThat(ack.text("action")).isEqualTo("deny");
 * }
 * </pre>
 */
public final class SpopTestClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private long nextStreamId = 1;

    private SpopTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static SpopTestClient connect(String host, int port) throws IOException {
        return connect(new InetSocketAddress(host, port), Duration.ofSeconds(5));
    }

    public static SpopTestClient connect(InetSocketAddress address, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        return new SpopTestClient(socket);
    }

    /**
     * A client over a socket the caller connected (e.g. bound to a chosen local address first);
     * the caller keeps setting its read timeout.
     */
    public static SpopTestClient over(Socket connected) throws IOException {
        return new SpopTestClient(connected);
    }

    /** A client over TLS, e.g. against {@code spoe.server.ssl.bundle}; 5 s read timeout. */
    public static SpopTestClient connect(InetSocketAddress address, SSLSocketFactory tls) throws IOException {
        return connect(address, Duration.ofSeconds(5), tls);
    }

    /**
     * A client over TLS. The handshake completes before this returns, and the agent's certificate
     * must name the host of {@code address} (as HAProxy's {@code verifyhost} checks it). With TLS
     * 1.3 a refused client certificate only shows on the first read: expect the failure from
     * {@link #handshake()}, not from here.
     */
    public static SpopTestClient connect(InetSocketAddress address, Duration readTimeout, SSLSocketFactory tls)
            throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(address, 5000);
            plain.setSoTimeout((int) readTimeout.toMillis());
            SSLSocket socket = (SSLSocket) tls.createSocket(plain, address.getHostString(), address.getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new SpopTestClient(socket);
        }
        catch (IOException | RuntimeException ex) {
            plain.close();
            throw ex;
        }
    }

    /** HELLO with pipelining, max-frame-size 16380 and an engine-id; returns the agent's HELLO. */
    public AgentFrame.Hello handshake() throws IOException {
        return handshake(16380, "pipelining");
    }

    public AgentFrame.Hello handshake(long maxFrameSize, String capabilities) throws IOException {
        send(HaproxyFrames.hello(maxFrameSize, capabilities, "test-engine-" + System.identityHashCode(this)));
        AgentFrame frame = receive();
        if (frame instanceof AgentFrame.Hello hello) {
            return hello;
        }
        throw new IllegalStateException("expected AGENT-HELLO, got " + frame);
    }

    /** Sends one NOTIFY with a fresh stream id and frame id 1, and returns its ACK. */
    public AgentFrame.Ack request(SpopMessage message) throws IOException {
        long streamId = nextStreamId;
        nextStreamId += 2;
        send(HaproxyFrames.notify(streamId, 1, message));
        AgentFrame frame = receive();
        if (frame instanceof AgentFrame.Ack ack && ack.streamId() == streamId) {
            return ack;
        }
        throw new IllegalStateException("expected the ACK of stream " + streamId + ", got " + frame);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads the next frame exactly as sent, length prefix included. */
    public byte[] receiveRaw() throws IOException {
        int length = in.readInt();
        byte[] frame = new byte[4 + length];
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        in.readFully(frame, 4, length);
        return frame;
    }

    /** Reads the next frame; fails on timeout or end of stream. */
    public AgentFrame receive() throws IOException {
        return parse(body(receiveRaw()));
    }

    /** Decodes a frame body (without its length prefix). */
    public static AgentFrame parse(byte[] body) {
        int type = body[0] & 0xFF;
        int flags = ((body[1] & 0xFF) << 24) | ((body[2] & 0xFF) << 16) | ((body[3] & 0xFF) << 8) | (body[4] & 0xFF);
        int[] position = {5};
        long streamId = Varint.read(body, position, body.length);
        long frameId = Varint.read(body, position, body.length);
        int offset = position[0];
        int payloadLength = body.length - offset;
        if (type == FrameType.AGENT_HELLO.id()) {
            return new AgentFrame.Hello(flags, Payloads.kvList(body, offset, payloadLength));
        }
        if (type == FrameType.AGENT_DISCONNECT.id()) {
            var items = Payloads.kvList(body, offset, payloadLength);
            long status = items.get("status-code") instanceof TypedValue.IntValue i ? i.value() : -1;
            String message = items.get("message") instanceof TypedValue.StringValue s ? s.asString() : null;
            return new AgentFrame.Disconnect(flags, status, message);
        }
        if (type == FrameType.ACK.id()) {
            return new AgentFrame.Ack(flags, streamId, frameId, Payloads.actions(body, offset, payloadLength));
        }
        return new AgentFrame.Other(flags, type, java.util.Arrays.copyOfRange(body, offset, body.length));
    }

    private static byte[] body(byte[] frame) {
        return java.util.Arrays.copyOfRange(frame, 4, frame.length);
    }

    /** Reads frames until one of the wanted type arrives (skipping others). */
    public <T extends AgentFrame> T receive(Class<T> type) throws IOException {
        while (true) {
            AgentFrame frame = receive();
            if (type.isInstance(frame)) {
                return type.cast(frame);
            }
        }
    }

    /**
     * True when the agent closed the connection: a read returns end of stream within
     * {@code timeout}, discarding anything that arrives before.
     */
    public boolean awaitClose(Duration timeout) throws IOException {
        int previous = socket.getSoTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            InputStream raw = socket.getInputStream();
            byte[] sink = new byte[4096];
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                try {
                    if (raw.read(sink) < 0) {
                        return true;
                    }
                }
                catch (SocketTimeoutException ex) {
                    return false;
                }
                catch (IOException ex) {
                    // A reset counts as closed.
                    return true;
                }
            }
            return false;
        }
        finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    /** Sends a HAPROXY-DISCONNECT(0) and returns the agent's answer. */
    public AgentFrame disconnect() throws IOException {
        send(HaproxyFrames.disconnect(0, "normal"));
        return receive();
    }

    public List<AgentFrame> receive(int count) throws IOException {
        java.util.ArrayList<AgentFrame> frames = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(receive());
        }
        return frames;
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Signals end of stream was reached where a frame was expected. */
    public static boolean isEndOfStream(IOException ex) {
        return ex instanceof EOFException;
    }
}
