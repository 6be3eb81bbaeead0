package io.spoepolicy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One command over an HAProxy CLI Unix socket (admin stats socket or master CLI).
 *
 * <p>The write side is shut down after the command: HAProxy 2.6's master CLI keeps the connection
 * open after answering until the client half-closes, while the stats socket closes on its own.
 * Reading until EOF then works for both.
 */
final class UnixSocketCli {

    private UnixSocketCli() {
    }

    static String send(Path socket, String command, Duration timeout) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            channel.shutdownOutput();
            return readToEnd(channel, socket, command, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("'" + command + "' on " + socket + " failed", e);
        }
    }

    private static String readToEnd(SocketChannel channel, Path socket, String command, Duration timeout)
            throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    throw new SocketTimeoutException("no end of response to '" + command + "' on " + socket
                            + " within " + timeout + "; got so far: " + response.toString(StandardCharsets.UTF_8));
                }
                selector.select(remainingMillis);
                selector.selectedKeys().clear();
                int read;
                while ((read = channel.read(buffer)) > 0) {
                    response.write(buffer.array(), 0, read);
                    buffer.clear();
                }
                if (read < 0) {
                    return response.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }
}
