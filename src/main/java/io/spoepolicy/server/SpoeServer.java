package io.spoepolicy.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The SPOP listener and its graceful drain, tied to the Spring lifecycle.
 *
 * <p>Reactor Netty provides the listener, event loops and channel setup; each accepted connection
 * gets a {@link SpopFrameDecoder}-fronted {@link SpopSession}. Stopping runs in the phase before
 * the web server's graceful shutdown, so health probes and scrapes keep answering while SPOP
 * drains: health-check HELLOs are refused at once, new connections and NOTIFYs are served for the
 * drain window, then quiet connections are closed one by one, and whatever is left at the
 * deadline is closed and counted.
 */
public final class SpoeServer implements SmartLifecycle {

    /**
     * {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512}: stops after the context
     * publishes REFUSING_TRAFFIC and before the HTTP server shuts down.
     */
    public static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 512;

    private static final Logger log = LoggerFactory.getLogger(SpoeServer.class);

    /**
     * After the deadline a busy connection is closed after this much silence (or the quiet
     * period if shorter), plus one more poll of its socket: enough that the AGENT-DISCONNECT
     * never travels with the last ACK (early 3.1.x loses such an ACK), short enough to occur
     * between NOTIFYs on a HAProxy 2.x connection carrying hundreds per second. Closing there
     * cuts nothing in flight, unlike the hard close at deadline + linger.
     */
    static final Duration DEADLINE_GAP = Duration.ofMillis(5);

    private final ServerSettings settings;
    private final SessionFactory sessions;
    private final SessionRegistry registry;
    private final DrainSignal drainSignal;
    private final ApplicationEventPublisher publisher;

    private volatile ServerState state = ServerState.STOPPED;
    private volatile DisposableServer server;
    private volatile LoopResources loops;
    private volatile DrainReport lastDrain;
    private TcpServerCustomizer customizer = tcp -> tcp;

    public SpoeServer(ServerSettings settings, SessionFactory sessions, SessionRegistry registry,
            DrainSignal drainSignal, ApplicationEventPublisher publisher) {
        this.settings = settings;
        this.sessions = sessions;
        this.registry = registry;
        this.drainSignal = drainSignal;
        this.publisher = publisher;
    }

    /** Adjusts the Reactor Netty server before it binds (TLS, metrics, socket options). */
    public void customizer(TcpServerCustomizer customizer) {
        this.customizer = customizer;
    }

    @Override
    public void start() {
        if (state != ServerState.STOPPED) {
            return;
        }
        LoopResources loopResources = LoopResources.create("spoe", 1,
                settings.ioThreads() > 0 ? settings.ioThreads() : Runtime.getRuntime().availableProcessors(), true);
        TcpServer tcp = TcpServer.create()
                .host(settings.host())
                .port(settings.port())
                .runOn(loopResources)
                .option(ChannelOption.SO_BACKLOG, settings.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .doOnConnection(connection -> {
                    SpopSession session = sessions.create(connection.channel().remoteAddress());
                    if (session == null) {
                        connection.dispose();
                        return;
                    }
                    connection.addHandlerLast("spop-decoder", session.decoder());
                    connection.addHandlerLast("spop-session", session);
                })
                // Sessions own the connection; the reactive handler only has to stay open.
                .handle((in, out) -> Mono.never());
        try {
            server = customizer.customize(tcp).bindNow(Duration.ofSeconds(30));
        }
        catch (RuntimeException ex) {
            loopResources.disposeLater(Duration.ZERO, Duration.ofSeconds(1)).block();
            throw new IllegalStateException("Could not bind the SPOP listener to " + settings.host() + ":"
                    + settings.port() + " (spoe.server.host / spoe.server.port): " + ex.getMessage(), ex);
        }
        loops = loopResources;
        drainSignal.reset();
        state = ServerState.RUNNING;
        InetSocketAddress address = (InetSocketAddress) server.address();
        log.info("SPOP agent listening on {}:{}", address.getHostString(), address.getPort());
        publisher.publishEvent(new SpoeServerStartedEvent(this, address));
    }

    @Override
    public void stop(Runnable callback) {
        if (state != ServerState.RUNNING) {
            callback.run();
            return;
        }
        state = ServerState.DRAINING;
        // A reactive web context already did this before stopping any bean; repeating it covers
        // contexts without a web server, so probes never report ready while SPOP drains.
        AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
        drainSignal.startDraining();
        new Drain(callback).begin();
    }

    @Override
    public void stop() {
        CountDownLatch done = new CountDownLatch(1);
        stop(done::countDown);
        try {
            ServerSettings.DrainSettings drain = settings.drain();
            done.await(drain.deadline().plus(drain.linger()).toMillis() + 1000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return state != ServerState.STOPPED;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    public ServerState state() {
        return state;
    }

    /** The bound address, or {@code null} when not listening. */
    public InetSocketAddress address() {
        DisposableServer current = server;
        return current == null || current.isDisposed() ? null : (InetSocketAddress) current.address();
    }

    public SessionRegistry registry() {
        return registry;
    }

    /** The outcome of the last drain, or {@code null} if none ran. */
    public DrainReport lastDrain() {
        return lastDrain;
    }

    /** Hook to adjust the Reactor Netty server before binding. */
    @FunctionalInterface
    public interface TcpServerCustomizer {
        TcpServer customize(TcpServer server);
    }

    /**
     * One drain run: the window (health checks refused, everything else served), then the
     * listener is closed and quiet connections are closed one by one, then the deadline.
     */
    private final class Drain {
        private final Runnable callback;
        private final long startNanos = System.nanoTime();
        private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spoe-drain");
            thread.setDaemon(true);
            return thread;
        });
        private final int openAtStart = registry.size();
        private final long acceptedAtStart = registry.accepted();
        private final long quietAtStart = registry.closed(CloseReason.AGENT_DRAINED);
        private final long haproxyAtStart = closedByHaproxy();
        private long acceptedInWindow;
        // Only touched on the drain thread.
        private boolean listenerClosed;
        private Forced forced;

        Drain(Runnable callback) {
            this.callback = callback;
        }

        void begin() {
            ServerSettings.DrainSettings drain = settings.drain();
            if (registry.accepted() == 0) {
                // No HAProxy ever connected: nobody needs to be told, so no window either.
                log.info("SPOP drain skipped: no connection was ever accepted");
                clock.execute(() -> finish(new Forced(0, 0)));
                return;
            }
            log.info("SPOP drain started: {} connection(s); health checks refused, serving for {}, deadline {}",
                    openAtStart, drain.window(), drain.deadline());
            long tick = Math.max(10, drain.quietPeriod().toMillis() / 4);
            clock.schedule(this::closeListener, drain.window().toMillis(), TimeUnit.MILLISECONDS);
            clock.scheduleWithFixedDelay(this::tick, drain.window().toMillis(), tick, TimeUnit.MILLISECONDS);
        }

        /**
         * After the window HAProxy has marked the agent DOWN, so it no longer opens connections
         * here; a refused connect is retried elsewhere ({@code retries}/{@code redispatch}) while
         * an accepted one would have to be drained again. Existing connections stay open.
         */
        private void closeListener() {
            DisposableServer current = server;
            if (current != null && !listenerClosed) {
                listenerClosed = true;
                acceptedInWindow = registry.accepted() - acceptedAtStart;
                current.dispose();
                log.info("SPOP drain: listener closed after the window; {} connection(s) left to drain",
                        registry.size());
            }
        }

        private void tick() {
            try {
                step();
            }
            catch (RuntimeException ex) {
                // A failure here must not leave the lifecycle phase waiting for the timeout.
                log.error("SPOP drain step failed; closing what is left", ex);
                finish(forceAll());
            }
        }

        private void step() {
            ServerSettings.DrainSettings drain = settings.drain();
            if (registry.size() == 0) {
                finish(forced == null ? new Forced(0, 0) : forced);
                return;
            }
            long elapsed = System.nanoTime() - startNanos;
            if (elapsed >= drain.deadline().plus(drain.linger()).toNanos()) {
                finish(forceAll());
                return;
            }
            if (elapsed >= drain.deadline().toNanos()) {
                if (forced == null) {
                    forced = closeAtDeadline();
                }
                return;
            }
            long quiet = drain.quietPeriod().toNanos();
            for (SpopSession session : registry.sessions()) {
                session.closeIfQuiet(quiet);
            }
        }

        /**
         * The deadline: every connection still open is closed at its first idle moment (a gap
         * shorter than the quiet period), within the linger time; this is what a busy HAProxy 2.x
         * connection, which keeps receiving NOTIFYs while the agent is DOWN, needs.
         */
        private Forced closeAtDeadline() {
            int count = 0;
            long gap = Math.min(settings.drain().quietPeriod().toNanos(), DEADLINE_GAP.toNanos());
            for (SpopSession session : registry.sessions()) {
                SessionState current = session.state();
                if (current == SessionState.PROCESSING || current == SessionState.HANDSHAKING) {
                    count++;
                }
                session.closeWhenIdle(gap);
            }
            log.warn("SPOP drain deadline reached: closing {} busy connection(s) at their next idle moment, "
                    + "within {}", count, settings.drain().linger());
            return new Forced(count, 0);
        }

        /** The hard end, deadline + linger: close everything and count what was in flight. */
        private Forced forceAll() {
            int lost = 0;
            for (SpopSession session : registry.sessions()) {
                if (session.state() == SessionState.PROCESSING) {
                    lost += session.inFlight();
                }
                session.forceClose();
            }
            return new Forced(forced == null ? registry.size() : forced.connections(), lost);
        }

        private void finish(Forced forced) {
            clock.shutdown();
            closeListener();
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            long quiet = registry.closed(CloseReason.AGENT_DRAINED) - quietAtStart;
            long byHaproxy = closedByHaproxy() - haproxyAtStart;
            DrainReport report = new DrainReport((int) (quiet + byHaproxy), forced.connections(), took, openAtStart,
                    acceptedInWindow, quiet, byHaproxy, forced.inFlight());
            lastDrain = report;
            if (forced.connections() > 0) {
                log.warn("SPOP drain finished in {} ms after the deadline: {} connection(s) were still busy then, "
                        + "{} NOTIFY(s) cut in flight; {} closed quiet, {} closed by HAProxy", took.toMillis(),
                        forced.connections(), forced.inFlight(), quiet, byHaproxy);
            }
            else {
                log.info("SPOP drain finished in {} ms: {} connection(s) closed quiet, {} closed by HAProxy, "
                        + "{} accepted during the window", took.toMillis(), quiet, byHaproxy, acceptedInWindow);
            }
            LoopResources current = loops;
            Mono<Void> disposal = current == null ? Mono.empty()
                    : current.disposeLater(Duration.ZERO, settings.drain().linger());
            disposal.onErrorResume(error -> Mono.empty()).doFinally(signal -> {
                state = ServerState.STOPPED;
                server = null;
                loops = null;
                callback.run();
            }).subscribe();
        }

        private long closedByHaproxy() {
            return registry.closed(CloseReason.HAPROXY_DISCONNECT) + registry.closed(CloseReason.PEER_CLOSED);
        }
    }

    /** Connections closed at the deadline and the NOTIFYs they still had in flight. */
    private record Forced(int connections, int inFlight) {
    }
}
