package io.spoepolicy.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A HAProxy reload opens a whole new set of connections while the old worker still holds its
 * own; error storms do the same. 1000 connections opened within one second, each doing HELLO and
 * one NOTIFY while all stay open, must all be answered.
 *
 * <p>Both ends of every connection live in this JVM, so the test needs about 2 × 1000 file
 * descriptors. The JVM raises its soft limit to the hard limit at startup on Linux
 * ({@code -XX:+MaxFDLimit}, on by default), so the surefire fork gets {@code ulimit -Hn}; the test
 * checks the room it has first and fails with a message that says what to raise, rather than
 * failing halfway with "Too many open files".
 */
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0"})
class ConnectionStormTest {

    private static final Logger log = LoggerFactory.getLogger(ConnectionStormTest.class);

    private static final int CONNECTIONS = 1000;
    private static final Duration OPENING_BUDGET = Duration.ofSeconds(1);

    @Autowired
    SpoeServer server;

    @Test
    void servesAThousandConnectionsOpenedWithinOneSecond() throws Exception {
        assertEnoughFileDescriptors();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.address().getPort());
        server.registry().resetPeak();
        List<SpopTestClient> clients = new ArrayList<>(CONNECTIONS);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            // Open and greet as fast as HAProxy would: the HELLO goes out right after connect.
            long start = System.nanoTime();
            List<Future<SpopTestClient>> opening = new ArrayList<>(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                String engine = "engine-" + (i % 8);
                opening.add(pool.submit(() -> {
                    SpopTestClient client = SpopTestClient.connect(address, Duration.ofSeconds(20));
                    client.send(HaproxyFrames.hello(16380, "pipelining", engine));
                    return client;
                }));
            }
            for (Future<SpopTestClient> future : opening) {
                clients.add(future.get(30, TimeUnit.SECONDS));
            }
            Duration opened = Duration.ofNanos(System.nanoTime() - start);
            log.info("Opened {} connections and sent their HELLOs in {} ms", CONNECTIONS, opened.toMillis());
            assertThat(opened).as("time to open %d connections", CONNECTIONS).isLessThanOrEqualTo(OPENING_BUDGET);

            List<Future<String>> answers = new ArrayList<>(CONNECTIONS);
            for (SpopTestClient client : clients) {
                answers.add(pool.submit(() -> {
                    if (!(client.receive() instanceof AgentFrame.Hello)) {
                        return "no AGENT-HELLO";
                    }
                    return client.request(MessageBuilder.checkRequest().ip("127.0.0.1").path("/").build())
                            .text("action");
                }));
            }
            int allowed = 0;
            for (Future<String> answer : answers) {
                if ("allow".equals(answer.get(60, TimeUnit.SECONDS))) {
                    allowed++;
                }
            }
            log.info("All {} answered {} ms after the first connect; agent saw a peak of {} connections",
                    allowed, Duration.ofNanos(System.nanoTime() - start).toMillis(), server.registry().peak());
            assertThat(allowed).isEqualTo(CONNECTIONS);
            assertThat(server.registry().peak()).isGreaterThanOrEqualTo(CONNECTIONS);
            assertThat(server.registry().snapshot()).filteredOn(info -> info.state() == SessionState.PROCESSING)
                    .hasSize(CONNECTIONS)
                    .allSatisfy(info -> assertThat(info.engineId()).startsWith("engine-"));
        }
        finally {
            pool.shutdownNow();
            for (SpopTestClient client : clients) {
                closeQuietly(client);
            }
        }
    }

    private static void assertEnoughFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long needed = 2L * CONNECTIONS + 256;
            long room = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
            assertThat(room).as("free file descriptors in this JVM (limit %d, open %d); both ends of %d "
                    + "connections need %d: raise the hard limit (ulimit -Hn, LimitNOFILE, docker --ulimit nofile)",
                    os.getMaxFileDescriptorCount(), os.getOpenFileDescriptorCount(), CONNECTIONS, needed)
                    .isGreaterThanOrEqualTo(needed);
        }
    }

    private static void closeQuietly(SpopTestClient client) {
        try {
            client.close();
        }
        catch (IOException ignored) {
            // Closing a test socket; nothing to do.
        }
    }
}
