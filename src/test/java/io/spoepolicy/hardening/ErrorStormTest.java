package io.spoepolicy.hardening;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.spoepolicy.server.SessionInfo;
import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.testsupport.FreePorts;
import io.spoepolicy.testsupport.HaproxyConfig;
import io.spoepolicy.testsupport.HaproxyProcess;
import io.spoepolicy.testsupport.HttpLoad;
import io.spoepolicy.testsupport.HttpLoadResult;
import io.spoepolicy.testsupport.QuickStart;
import io.spoepolicy.testsupport.RequiresHaproxy;
import io.spoepolicy.testsupport.ServerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An error storm while a real HAProxy sends normal traffic: thousands of connections that send
 * garbage, cut frames in half, send DISCONNECT (criteo/haproxy-spoe-go#39 leaked 120 GB on that),
 * reset with a NOTIFY in flight, abandon fragments, probe with HTTP or say nothing. Normal traffic
 * must keep every decision; afterwards the storm's sessions are gone and heap, threads, file
 * descriptors and direct memory are back to their level before it.
 */
@RequiresHaproxy
@SpringBootTest(properties = {"spoe.server.port=0", "server.port=0", "spoe.server.host=127.0.0.1",
        "spoe.server.hello-timeout=2s", "spoe.server.drain.linger=1s", "spoe.policies.deadline=1500ms"})
class ErrorStormTest {

    /** Hostile connections in the storm and how many run at once. */
    static final int STORM_CONNECTIONS = Integer.getInteger("storm.connections", 5000);
    static final int STORM_CONCURRENCY = 48;

    @Autowired
    SpoeServer server;

    @Test
    void normalTrafficKeepsEveryDecisionThroughAnErrorStormAndResourcesReturnToBaseline() throws Exception {
        int frontend = FreePorts.next();
        HaproxyConfig config = QuickStart.builder().frontendPort(frontend).agentPorts(server.address().getPort()).build()
                // The storm saturates this small machine; HAProxy's budget is not what is under test.
                .replace(QuickStart.SPOE_FILE, "timeout processing 500ms", "timeout processing 3s", 1);
        try (HaproxyProcess haproxy = HaproxyProcess.start(config)) {
            haproxy.awaitServerState("be_spoe_agents", "agent1", ServerState.UP, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(20)).until(() -> HttpLoad.get(frontend, "/").hasHeader("x-policy-action"));
            HttpLoad.to(frontend).path("/").connections(4).requests(200).run();
            ResourceSnapshot before = ResourceSnapshot.take(server.registry().size());

            Storm storm = new Storm(new InetSocketAddress("127.0.0.1", server.address().getPort()));
            long start = System.nanoTime();
            CompletableFuture<Void> hostile = CompletableFuture.runAsync(storm::run);
            List<HttpLoadResult> allowed = new ArrayList<>();
            List<HttpLoadResult> denied = new ArrayList<>();
            AtomicInteger peak = new AtomicInteger();
            AtomicLong peakHeap = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                peak.accumulateAndGet(server.registry().size(), Math::max);
                peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            }, 0, 10, TimeUnit.MILLISECONDS);
            do {
                allowed.add(HttpLoad.to(frontend).path("/").connections(4).requests(200)
                        .capture("x-policy-action", "x-policy-error").run());
                denied.add(HttpLoad.to(frontend).from("127.0.0.2").path("/").connections(2).requests(50)
                        .capture("x-policy-action", "x-policy-error").run());
            } while (!hostile.isDone());
            hostile.get(5, TimeUnit.MINUTES);
            Duration stormTime = Duration.ofNanos(System.nanoTime() - start);
            sampler.shutdownNow();

            await("storm sessions closed").atMost(Duration.ofSeconds(30))
                    .until(() -> server.registry().snapshot().stream().noneMatch(ErrorStormTest::fromStorm));
            ResourceSnapshot after = ResourceSnapshot.take(server.registry().size());

            long allowRequests = allowed.stream().mapToLong(r -> r.outcomes().size()).sum();
            long denyRequests = denied.stream().mapToLong(r -> r.outcomes().size()).sum();
            long allowDecisions = allowed.stream().mapToLong(r -> r.headerCounts("x-policy-action").getOrDefault("allow", 0L)).sum();
            long denyDecisions = denied.stream().mapToLong(r -> r.headerCounts("x-policy-action").getOrDefault("deny", 0L)).sum();
            long denied403 = denied.stream().mapToLong(r -> r.countStatus(403)).sum();
            System.out.printf("[figures] error storm: %d hostile connections (%s) in %.1f s, %d answered as the protocol says, "
                    + "%d client errors; peak sessions %d, peak heap %.0f MiB; normal traffic %d allow requests / %d decisions, "
                    + "%d deny requests / %d decisions (%d x 403)%n", STORM_CONNECTIONS, storm.byKind, stormTime.toMillis() / 1000.0,
                    storm.answered.get(), storm.clientErrors.get(), peak.get(), peakHeap.get() / 1048576.0, allowRequests, allowDecisions,
                    denyRequests, denyDecisions, denied403);
            System.out.printf("[figures] error storm resources: before %s; after %s%n", before.describe(), after.describe());

            assertThat(storm.completed.get()).isEqualTo(STORM_CONNECTIONS);
            assertThat(allowDecisions).as("allow decisions kept").isEqualTo(allowRequests);
            assertThat(denyDecisions).as("deny decisions kept").isEqualTo(denyRequests);
            assertThat(denied403).isEqualTo(denyRequests);
            assertThat(storm.answered.get()).as("hostile peers answered per protocol").isEqualTo(storm.completed.get() - storm.clientErrors.get());
            assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + 64L * 1024 * 1024);
            assertThat(after.agentThreads()).as("agent threads").isLessThanOrEqualTo(before.agentThreads() + 2);
            assertThat(after.otherFileDescriptors()).as("file descriptors besides SPOP sessions")
                    .isLessThanOrEqualTo(before.otherFileDescriptors() + 8);
            assertThat(after.directBytes()).as("direct memory").isLessThanOrEqualTo(before.directBytes() + 16L * 1024 * 1024);
        }
    }

    private static boolean fromStorm(SessionInfo session) {
        return session.peer() instanceof InetSocketAddress address
                && address.getAddress().getHostAddress().equals(HostileClient.SOURCE);
    }

    /** The hostile connections, a fixed mix of kinds, a fixed random seed. */
    static final class Storm {
        private final InetSocketAddress agent;
        final AtomicInteger completed = new AtomicInteger();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong clientErrors = new AtomicLong();
        final Map<HostileClient.Kind, Integer> byKind = new EnumMap<>(HostileClient.Kind.class);

        Storm(InetSocketAddress agent) {
            this.agent = agent;
        }

        void run() {
            ExecutorService pool = Executors.newFixedThreadPool(STORM_CONCURRENCY, runnable -> {
                Thread thread = new Thread(runnable, "storm-client");
                thread.setDaemon(true);
                return thread;
            });
            SplittableRandom seeds = new SplittableRandom(39);
            HostileClient.Kind[] kinds = HostileClient.Kind.values();
            List<Future<?>> tasks = new ArrayList<>(STORM_CONNECTIONS);
            for (int i = 0; i < STORM_CONNECTIONS; i++) {
                // Silent peers hold a connection for the whole HELLO deadline: a few percent of them.
                HostileClient.Kind kind = i % 50 == 0 ? HostileClient.Kind.SILENT : kinds[i % (kinds.length - 1)];
                byKind.merge(kind, 1, Integer::sum);
                SplittableRandom random = seeds.split();
                tasks.add(pool.submit(() -> {
                    try {
                        if (HostileClient.run(kind, agent, random)) {
                            answered.incrementAndGet();
                        }
                    }
                    catch (java.io.IOException ex) {
                        clientErrors.incrementAndGet();
                    }
                    finally {
                        completed.incrementAndGet();
                    }
                }));
            }
            pool.shutdown();
            try {
                if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                    pool.shutdownNow();
                    throw new IllegalStateException("storm did not finish in 5 minutes");
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }
}
