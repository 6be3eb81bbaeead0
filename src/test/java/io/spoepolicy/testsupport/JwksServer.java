package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * A JWKS endpoint for tests, on a free loopback port: serves the public part of a key set,
 * counts requests, and can answer 500 or answer late to play an unreachable identity provider.
 */
public final class JwksServer implements AutoCloseable {

    public enum Mode { OK, ERROR, SLOW }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "jwks-server");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<JWKSet> keys;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private final AtomicInteger hits = new AtomicInteger();
    private volatile Duration slowDelay = Duration.ofSeconds(2);

    private JwksServer(JWKSet keys) throws IOException {
        this.keys = new AtomicReference<>(keys);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static JwksServer start(JWKSet keys) {
        try {
            return new JwksServer(keys);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot start JWKS server", ex);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        hits.incrementAndGet();
        try (exchange) {
            Mode current = mode.get();
            if (current == Mode.SLOW) {
                try {
                    Thread.sleep(slowDelay.toMillis());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            if (current == Mode.ERROR) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            byte[] body = keys.get().toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    public void keys(JWKSet next) {
        keys.set(next);
    }

    public void mode(Mode next) {
        mode.set(next);
    }

    public void slowDelay(Duration delay) {
        this.slowDelay = delay;
    }

    /** Requests served (or refused) so far. */
    public int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
