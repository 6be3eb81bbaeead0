package io.spoepolicy.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A minimal HTTP/1.1 keep-alive client connection over a plain socket. Unlike
 * {@code java.net.http.HttpClient} it can bind a chosen local address (the policy tests make requests
 * from 127.0.0.2) and it never retries or pools behind the test's back.
 */
final class RawHttpConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean reusable = true;

    RawHttpConnection(int port, String sourceAddress, Duration timeout) throws IOException {
        socket = new Socket();
        try {
            if (sourceAddress != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) timeout.toMillis());
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    boolean reusable() {
        return reusable && !socket.isClosed();
    }

    /** Sends one request and reads the whole response; {@code capture} empty means all headers. */
    HttpOutcome exchange(byte[] request, boolean headRequest, Set<String> capture) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        long contentLength = -1;
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> reusable &= !value.equalsIgnoreCase("close");
                default -> { }
            }
            if (capture.isEmpty() || capture.contains(name)) {
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
        }
        if (parts[0].equals("HTTP/1.0")) {
            reusable = false;
        }
        boolean bodyless = headRequest || status / 100 == 1 || status == 204 || status == 304;
        if (bodyless) {
            return new HttpOutcome(status, Map.copyOf(headers), null);
        }
        if (chunked) {
            skipChunkedBody();
        } else if (contentLength >= 0) {
            skip(contentLength);
        } else {
            in.transferTo(OutputStream.nullOutputStream());
            reusable = false;
        }
        return new HttpOutcome(status, Map.copyOf(headers), null);
    }

    private void skipChunkedBody() throws IOException {
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return;
            }
            skip(size);
            readLine();
        }
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("body truncated, " + left + " bytes missing");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed mid-response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a test client socket cannot fail in a way that matters.
        }
    }
}
