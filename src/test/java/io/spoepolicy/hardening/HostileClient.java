package io.spoepolicy.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;

/**
 * One hostile or broken SPOP peer: connects from a dedicated loopback address (so its sessions
 * can be told apart from HAProxy's), misbehaves in one of the ways below, and goes away.
 */
final class HostileClient {

    /** The source address of every hostile connection. */
    static final String SOURCE = "127.0.0.3";

    enum Kind {
        /** Random bytes, then close. */
        GARBAGE,
        /** A valid HELLO, then half a NOTIFY, then close. */
        MID_FRAME,
        /** HELLO, then HAPROXY-DISCONNECT; reads the AGENT-DISCONNECT (criteo/haproxy-spoe-go#39). */
        DISCONNECT,
        /** HELLO, a NOTIFY, then a reset before reading the ACK. */
        RESET_IN_FLIGHT,
        /** HELLO with fragmentation, a NOTIFY without FIN, then close. */
        ABANDONED_FRAGMENT,
        /** An HTTP request on the SPOP port (a misdirected probe). */
        HTTP_PROBE,
        /** A length field of 2 GiB, then close. */
        HUGE_LENGTH,
        /** Connects and closes without a byte. */
        CONNECT_ONLY,
        /** Connects and says nothing until the agent closes it (HELLO deadline). */
        SILENT
    }

    private static final byte[] HELLO = HaproxyFrames.hello(16380, "pipelining,fragmentation", "storm");
    private static final SpopMessage CHECK = MessageBuilder.checkRequest().ip("198.51.100.7").method("GET")
            .path("/storm").header("host", "storm.example").build();
    private static final byte[] NOTIFY = HaproxyFrames.notify(1, 1, CHECK);
    private static final byte[] FIRST_FRAGMENT = HaproxyFrames.fragmentedNotify(3, 1, List.of(MessageBuilder
            .checkRequest().ip("198.51.100.7").header("x-big", "b".repeat(3000)).build()), 1000).get(0);

    private HostileClient() {
    }

    /** Runs one connection of the given kind; returns true if the agent answered as the protocol says. */
    static boolean run(Kind kind, InetSocketAddress agent, SplittableRandom random) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(SOURCE, 0));
            socket.setSoTimeout(10_000);
            socket.connect(agent, 5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            switch (kind) {
                case GARBAGE -> {
                    byte[] noise = new byte[1 + random.nextInt(200)];
                    random.nextBytes(noise);
                    out.write(noise);
                    return true;
                }
                case MID_FRAME -> {
                    out.write(HELLO);
                    readFrame(in);
                    out.write(Arrays.copyOf(NOTIFY, NOTIFY.length / 2));
                    return true;
                }
                case DISCONNECT -> {
                    out.write(HELLO);
                    readFrame(in);
                    out.write(HaproxyFrames.disconnect(0, "normal"));
                    return readFrame(in)[4] == 102;
                }
                case RESET_IN_FLIGHT -> {
                    out.write(HELLO);
                    readFrame(in);
                    out.write(NOTIFY);
                    socket.setSoLinger(true, 0);
                    return true;
                }
                case ABANDONED_FRAGMENT -> {
                    out.write(HELLO);
                    readFrame(in);
                    out.write(FIRST_FRAGMENT);
                    return true;
                }
                case HTTP_PROBE -> {
                    out.write("GET /health HTTP/1.1\r\nHost: agent\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    // The agent answers with AGENT-DISCONNECT (invalid frame) and closes.
                    return readFrame(in)[4] == 102;
                }
                case HUGE_LENGTH -> {
                    out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
                    return readFrame(in)[4] == 102;
                }
                case CONNECT_ONLY -> {
                    return true;
                }
                case SILENT -> {
                    // The agent sends AGENT-DISCONNECT (timeout) at the HELLO deadline.
                    return readFrame(in)[4] == 102 && in.read() < 0;
                }
                default -> throw new IllegalArgumentException(kind.name());
            }
        }
    }

    /** Reads one frame, length prefix included. */
    private static byte[] readFrame(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new IOException("closed before a frame");
        }
        int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        byte[] frame = Arrays.copyOf(header, 4 + length);
        if (in.readNBytes(frame, 4, length) < length) {
            throw new IOException("closed inside a frame");
        }
        return frame;
    }
}
