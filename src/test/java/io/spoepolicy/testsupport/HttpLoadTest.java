package io.spoepolicy.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

class HttpLoadTest {

    private HttpServer server;
    private ExecutorService executor;
    private final Set<String> clientAddresses = ConcurrentHashMap.newKeySet();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        clientAddresses.add(exchange.getRemoteAddress().getAddress().getHostAddress());
        clientPorts.add(exchange.getRemoteAddress().getPort());
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        exchange.getResponseHeaders().add("x-path", path);
        if (path.equals("/empty")) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        byte[] body = ("hello " + path).getBytes(StandardCharsets.UTF_8);
        // Length 0 makes the JDK server answer chunked; the other paths get a Content-Length.
        exchange.sendResponseHeaders(path.equals("/chunked") ? 200 : 201, path.equals("/chunked") ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private int port() {
        return server.getAddress().getPort();
    }

    @Test
    void spreadsRequestsOverKeepAliveConnectionsAndCapturesHeaders() {
        HttpLoadResult result = HttpLoad.to(port()).path("/x").connections(4).requests(40).capture("x-path").run();

        assertThat(result.statusCounts()).isEqualTo(Map.of(201, 40L));
        assertThat(result.headerCounts("x-path")).isEqualTo(Map.of("/x", 40L));
        assertThat(result.countMissingHeader("x-path")).isZero();
        assertThat(result.outcomes()).allSatisfy(o -> assertThat(o.headers()).containsOnlyKeys("x-path"));
        assertThat(clientPorts).as("keep-alive: one client port per connection").hasSize(4);
    }

    @Test
    void readsChunkedAndBodylessResponses() {
        assertThat(HttpLoad.get(port(), "/chunked").status()).isEqualTo(200);
        HttpLoadResult result = HttpLoad.to(port()).path("/empty").requests(3).run();

        assertThat(result.countStatus(204)).isEqualTo(3);
        assertThat(HttpLoad.to(port()).path("/chunked").requests(3).run().countStatus(200)).isEqualTo(3);
    }

    @Test
    void connectsFromTheChosenLoopbackAddress() {
        HttpOutcome outcome = HttpLoad.to(port()).path("/").from("127.0.0.2").send();

        assertThat(outcome.status()).isEqualTo(201);
        assertThat(clientAddresses).containsExactly("127.0.0.2");
    }

    @Test
    void recordsFailuresWithoutRetrying() {
        int closedPort = FreePorts.next();

        HttpLoadResult result = HttpLoad.to(closedPort).requests(2).run();

        assertThat(result.failures()).hasSize(2);
        assertThat(result.countMissingHeader("x-path")).as("failed requests are not 'missing a header'").isZero();
    }
}
