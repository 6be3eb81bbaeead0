package io.spoepolicy.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024 + 512;

    private static final Logger log = LoggerFactory.getLogger(SpoeServer.class);

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
                    SpopSession session = sessions.create();
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
        drainSignal.startDraining();
        new Drain(callback).begin();
    }

    @Override
    public void stop() {
        Object lock = new Object();
        synchronized (lock) {
            stop(() -> {
                synchronized (lock) {
                    lock.notifyAll();
                }
            });
            try {
                lock.wait(settings.drain().deadline().plus(settings.drain().linger()).toMillis() + 1000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
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

    /** One drain run: window, then quiet closes, then the deadline. */
    private final class Drain {
        private final Runnable callback;
        private final long startNanos = System.nanoTime();
        private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spoe-drain");
            thread.setDaemon(true);
            return thread;
        });
        private final int openAtStart = registry.size();

        Drain(Runnable callback) {
            this.callback = callback;
        }

        void begin() {
            ServerSettings.DrainSettings drain = settings.drain();
            log.info("SPOP drain started: {} connection(s); health checks refused, serving for {}, deadline {}",
                    openAtStart, drain.window(), drain.deadline());
            long tick = Math.max(10, drain.quietPeriod().toMillis() / 2);
            clock.schedule(this::closeListener, drain.window().toMillis(), TimeUnit.MILLISECONDS);
            clock.scheduleWithFixedDelay(this::tick, drain.window().toMillis(), tick, TimeUnit.MILLISECONDS);
        }

        private void closeListener() {
            DisposableServer current = server;
            if (current != null) {
                current.dispose();
            }
        }

        private void tick() {
            ServerSettings.DrainSettings drain = settings.drain();
            long elapsed = System.nanoTime() - startNanos;
            if (registry.size() == 0) {
                finish(0);
                return;
            }
            if (elapsed >= drain.deadline().toNanos()) {
                int forced = 0;
                for (SpopSession session : registry.sessions()) {
                    if (session.state() != SessionState.CLOSING) {
                        forced++;
                    }
                    session.forceClose();
                }
                finish(forced);
                return;
            }
            long quiet = drain.quietPeriod().toNanos();
            for (SpopSession session : registry.sessions()) {
                session.closeIfQuiet(quiet);
            }
        }

        private void finish(int forced) {
            clock.shutdownNow();
            closeListener();
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            lastDrain = new DrainReport(Math.max(0, openAtStart - forced), forced, took);
            log.info("SPOP drain finished in {} ms: {} connection(s) forced closed at the deadline",
                    took.toMillis(), forced);
            LoopResources current = loops;
            Mono<Void> disposal = current == null ? Mono.empty()
                    : current.disposeLater(Duration.ZERO, settings.drain().linger());
            disposal.doFinally(signal -> {
                state = ServerState.STOPPED;
                server = null;
                loops = null;
                callback.run();
            }).subscribe();
        }
    }
}
