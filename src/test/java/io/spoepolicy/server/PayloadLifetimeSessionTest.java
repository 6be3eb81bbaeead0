package io.spoepolicy.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.DecisionContract;
import io.spoepolicy.policy.PolicyDispatcher;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.policy.SyncSpoePolicy;
import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.FrameFlags;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.SpopStatus;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.protocol.VarScope;
import io.spoepolicy.testkit.AgentFrame;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;
import io.spoepolicy.testkit.SpopTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every way a NOTIFY's life ends in a session, over real sockets, with the real dispatcher: the
 * payload lease is given back exactly once (the decoder's count of leases returns to zero and a
 * double release would fail the session), never before a policy evaluation still reading it has
 * ended (a synchronous policy running past the deadline reads its own request intact), and a
 * view kept beyond the evaluation fails loudly afterwards.
 */
class PayloadLifetimeSessionTest {

    /**
     * The policy deadline of tests that never reach it: a state a test waits for (policies held
     * running, NOTIFYs waiting behind them) then lasts until the test itself ends it, however long
     * a loaded machine takes to poll. A deadline that ended such a state by itself made the test
     * miss it on two busy CI runs (300 ms, then 3 s).
     */
    private static final Duration NO_DEADLINE_IN_TEST = Duration.ofSeconds(60);
    /** The deadline of the test that needs it to fire while a policy still runs. */
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final SessionRegistry registry = new SessionRegistry();
    private final HoldPolicy hold = new HoldPolicy();
    private final SlowPolicy slow = new SlowPolicy();
    private final KeepingPolicy keeping = new KeepingPolicy();
    private Scheduler scheduler;
    private SpoeServer server;
    private SpopTestClient client;

    private void start(Duration deadline) {
        scheduler = Schedulers.newBoundedElastic(4, 64, "lifetime-test");
        PolicyDispatcher dispatcher = new PolicyDispatcher(
                Map.of("hold", List.<SpoePolicy>of(hold), "slow", List.<SpoePolicy>of(slow),
                        "check-request", List.<SpoePolicy>of(keeping)),
                new DecisionContract(VarScope.TRANSACTION), scheduler, deadline, PolicyListener.NONE);
        NotifyHandler handler = new NotifyHandler() {
            @Override
            public Mono<List<Action>> handle(InboundFrame.Notify notify, SessionContext session) {
                return dispatcher.dispatch(notify.messages(), session.engineId());
            }

            @Override
            public List<Action> failureActions(Throwable error) {
                return List.of();
            }

            @Override
            public Action noopAction() {
                return null;
            }
        };
        SessionSettings settings = new SessionSettings(16380, 16380, 2, 4, true, 65536, Duration.ofSeconds(5),
                Duration.ZERO, Duration.ofMillis(500), List.of("pipelining", "fragmentation"));
        SessionFactory sessions = new SessionFactory(settings, handler, new InflightLimiter(64), registry,
                SessionObserver.NONE, new DrainSignal(), 0);
        server = new SpoeServer(new ServerSettings("127.0.0.1", 0, 16, 1, new ServerSettings.DrainSettings(
                Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(3))),
                sessions, registry, new DrainSignal(), event -> { });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        hold.open();
        slow.proceed.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
            scheduler.dispose();
        }
    }

    /** Starts the agent, connects, shakes hands and returns the server side of the connection. */
    private SpopSession connect() throws IOException {
        return connect(NO_DEADLINE_IN_TEST);
    }

    private SpopSession connect(Duration deadline) throws IOException {
        start(deadline);
        client = SpopTestClient.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), WAIT);
        client.handshake(16380, "pipelining,fragmentation");
        await().atMost(WAIT).until(() -> registry.size() == 1);
        return registry.sessions().iterator().next();
    }

    private static SpopMessage checkRequest(String path) {
        return MessageBuilder.checkRequest().ip("192.0.2.1").method("GET").path(path).build();
    }

    private static SpopMessage message(String name, String path) {
        return MessageBuilder.message(name).argument("path", TypedValue.of(path)).build();
    }

    private static int leases(SpopSession session) {
        return session.decoder().leasedPayloads();
    }

    @Test
    void theAckEndsTheLeaseAndAViewKeptByAPolicyFailsAfterwards() throws IOException {
        SpopSession session = connect();
        assertThat(client.request(checkRequest("/kept")).text("action")).isEqualTo("allow");

        await().atMost(WAIT).until(() -> leases(session) == 0);
        TypedValue.StringValue kept = keeping.view.get();
        assertThat(kept.readable()).isFalse();
        assertThatThrownBy(kept::asString).isInstanceOf(IllegalReferenceCountException.class);
        assertThat(keeping.copy.get()).isEqualTo("/kept");
        // The recycled buffer serves the next NOTIFY correctly.
        assertThat(client.request(checkRequest("/next")).text("action")).isEqualTo("allow");
        assertThat(keeping.copy.get()).isEqualTo("/next");
    }

    @Test
    void aSyncPolicyStillRunningAfterTheDeadlineKeepsReadingItsOwnRequest() throws Exception {
        SpopSession session = connect(DEADLINE);
        client.send(HaproxyFrames.notify(1, 1, message("slow", "/slow-path")));
        assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();

        // The deadline answers the NOTIFY while decide() still runs...
        AgentFrame.Ack ack = client.receive(AgentFrame.Ack.class);
        assertThat(ack.text("agent_error")).isEqualTo("timeout");
        // ...and the payload stays leased to it, even while new NOTIFYs are decoded.
        assertThat(client.request(checkRequest("/meanwhile")).text("action")).isEqualTo("allow");
        // "/meanwhile" is released on the event loop just after its ACK is written, so this thread
        // can read the ACK first and still see 2. One lease held for a while is the slow policy's;
        // a lease given back too early would leave 0 (or a passing 1).
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> leases(session) == 1);

        slow.proceed.countDown();
        await().atMost(WAIT).until(() -> slow.read.get() != null);
        assertThat(slow.read.get()).isEqualTo("/slow-path");
        await().atMost(WAIT).until(() -> leases(session) == 0);
    }

    @Test
    void closingWithNotifiesInFlightAndWaitingGivesEveryLeaseBack() throws IOException {
        SpopSession session = connect();
        // Two run (the per-connection limit), two wait. One write, so that all four arrive in one
        // read: the session stops reading at the limit, and NOTIFYs left in the socket would
        // never be decoded (nor leased) while the first two are held.
        ByteArrayOutputStream four = new ByteArrayOutputStream();
        for (int stream = 1; stream <= 4; stream++) {
            four.writeBytes(HaproxyFrames.notify(stream, 1, message("hold", "/h" + stream)));
        }
        client.send(four.toByteArray());
        await().atMost(WAIT).until(() -> hold.started() == 2 && leases(session) == 4);
        client.close();
        client = null;

        await().atMost(WAIT).until(() -> session.state() == SessionState.CLOSED);
        // The waiting ones at once; the running ones keep theirs while their evaluation runs...
        await().atMost(WAIT).until(() -> leases(session) == 2);
        assertThat(hold.started()).as("waiting NOTIFYs of a closed connection never start").isEqualTo(2);
        // ...and give them back when it ends.
        hold.open();
        await().atMost(WAIT).until(() -> leases(session) == 0);
    }

    @Test
    void aProtocolErrorMidPipelineAnswersAndReleasesWhatWasReceived() throws IOException {
        SpopSession session = connect();
        client.send(HaproxyFrames.notify(1, 1, message("hold", "/a")));
        client.send(HaproxyFrames.notify(2, 1, message("hold", "/b")));
        await().atMost(WAIT).until(() -> hold.started() == 2);
        // An UNSET fragment with no fragmented NOTIFY in progress.
        client.send(HaproxyFrames.frame(FrameType.UNSET.id(), FrameFlags.FIN, 3, 1, new byte[] {0}));
        hold.open();

        assertThat(client.receive(AgentFrame.Ack.class)).isNotNull();
        assertThat(client.receive(AgentFrame.Ack.class)).isNotNull();
        assertThat(client.receive(AgentFrame.Disconnect.class).statusCode())
                .isEqualTo(SpopStatus.INVALID_INTERLACED_FRAMES.code());
        await().atMost(WAIT).until(() -> leases(session) == 0);
    }

    @Test
    void aDrainAnswersInFlightNotifiesThenReleasesEverything() throws Exception {
        SpopSession session = connect();
        client.send(HaproxyFrames.notify(1, 1, message("hold", "/drained")));
        await().atMost(WAIT).until(() -> hold.started() == 1);
        CountDownLatch drained = new CountDownLatch(1);
        server.stop(drained::countDown);

        hold.open();
        assertThat(client.receive(AgentFrame.Ack.class)).isNotNull();
        assertThat(client.receive(AgentFrame.Disconnect.class).statusCode()).isZero();
        client.close();
        client = null;
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> leases(session) == 0);
    }

    @Test
    void aReassembledNotifyIsReleasedAfterItsAckAndAnUnfinishedOneAtTheClose() throws IOException {
        SpopSession session = connect();
        SpopMessage large = checkRequest("/" + "p".repeat(3000));
        for (byte[] piece : HaproxyFrames.fragmentedNotify(5, 1, List.of(large), 700)) {
            client.send(piece);
        }
        assertThat(client.receive(AgentFrame.Ack.class)).isNotNull();
        assertThat(keeping.copy.get()).isEqualTo("/" + "p".repeat(3000));
        await().atMost(WAIT).until(() -> leases(session) == 0);

        client.send(HaproxyFrames.fragmentedNotify(6, 1, List.of(large), 700).get(0));
        await().atMost(WAIT).until(() -> leases(session) == 1);
        client.close();
        client = null;
        await().atMost(WAIT).until(() -> leases(session) == 0);
    }

    /** Inline policy that keeps a view beyond its evaluation (a misuse) and a copy (the right way). */
    private static final class KeepingPolicy implements SyncSpoePolicy {
        final AtomicReference<TypedValue.StringValue> view = new AtomicReference<>();
        final AtomicReference<String> copy = new AtomicReference<>();

        @Override
        public String name() {
            return "keeping";
        }

        @Override
        public Set<String> messages() {
            return Set.of("check-request");
        }

        @Override
        public boolean inline() {
            return true;
        }

        @Override
        public Decision decide(PolicyRequest request) {
            view.set((TypedValue.StringValue) request.value("path"));
            copy.set(request.path());
            return Decision.allow();
        }
    }

    /** Blocks in decide() past the deadline, then reads its request. */
    private static final class SlowPolicy implements SyncSpoePolicy {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final AtomicReference<String> read = new AtomicReference<>();

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public Set<String> messages() {
            return Set.of("slow");
        }

        @Override
        public Decision decide(PolicyRequest request) {
            started.countDown();
            try {
                proceed.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                // The deadline may interrupt the worker: keep going, as a careless policy would.
                try {
                    proceed.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                read.set(request.string("path"));
            }
            catch (RuntimeException ex) {
                read.set("failed: " + ex);
            }
            return Decision.allow();
        }
    }
}
