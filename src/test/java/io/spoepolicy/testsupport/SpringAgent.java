package io.spoepolicy.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.spoepolicy.SpoePolicyApplication;
import io.spoepolicy.server.DrainReport;
import io.spoepolicy.server.SessionInfo;
import io.spoepolicy.server.SessionObserver;
import io.spoepolicy.server.SpoeServer;

/**
 * One agent instance as its own Spring context in this JVM, on a fixed SPOP port so a HAProxy
 * configuration can name it, and restartable on that port. Several can run side by side; closing
 * one runs the real graceful shutdown (readiness, SmartLifecycle drain, web server shutdown).
 *
 * <p>Across restarts it keeps what a test wants to report: the connection peak the agent saw
 * since {@link #markPeak()}, the engine-ids of the HAProxy workers that connected, and the report
 * of every drain.
 */
public final class SpringAgent implements AutoCloseable {

    private final String name;
    private final int port;
    private final List<String> extraProperties;
    private final Set<String> engineIds = ConcurrentHashMap.newKeySet();
    private final List<DrainReport> drains = new ArrayList<>();
    private volatile ConfigurableApplicationContext context;
    private int peakBeforeRestart;

    private SpringAgent(String name, int port, List<String> extraProperties) {
        this.name = name;
        this.port = port;
        this.extraProperties = List.copyOf(extraProperties);
    }

    /** Starts an agent on {@code 127.0.0.1:port} with a random HTTP port and the given overrides. */
    public static SpringAgent start(String name, int port, String... properties) {
        SpringAgent agent = new SpringAgent(name, port, List.of(properties));
        agent.start();
        return agent;
    }

    public synchronized void start() {
        if (context != null) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> properties = new ArrayList<>(List.of(
                "spring.application.name=" + name,
                "spoe.server.host=127.0.0.1",
                "spoe.server.port=" + port,
                "server.port=0",
                "management.server.port=0",
                "spring.main.register-shutdown-hook=false",
                "spring.jmx.enabled=false"));
        properties.addAll(extraProperties);
        // Command-line arguments, so they win over the application.yml defaults.
        String[] arguments = properties.stream().map(property -> "--" + property).toArray(String[]::new);
        SessionObserver engineRecorder = new SessionObserver() {
            @Override
            public void handshakeCompleted(SessionInfo session) {
                if (session.engineId() != null) {
                    engineIds.add(session.engineId());
                }
            }
        };
        context = new SpringApplicationBuilder(SpoePolicyApplication.class, IsolatedReactorResources.class)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("engineIdRecorder", engineRecorder))
                .run(arguments);
    }

    /** Graceful stop: {@code context.close()}, which runs the SPOP drain; returns its report. */
    public synchronized DrainReport stop() {
        ConfigurableApplicationContext current = context;
        if (current == null) {
            throw new IllegalStateException(name + " is not running");
        }
        SpoeServer server = server();
        peakBeforeRestart = Math.max(peakBeforeRestart, server.registry().peak());
        current.close();
        context = null;
        DrainReport report = server.lastDrain();
        if (report != null) {
            drains.add(report);
        }
        return report;
    }

    /** Graceful stop, then start again on the same port. */
    public DrainReport restart() {
        DrainReport report = stop();
        start();
        return report;
    }

    public boolean running() {
        return context != null;
    }

    /** The running application context, for tests that drive its lifecycle directly. */
    public ConfigurableApplicationContext context() {
        return context;
    }

    public SpoeServer server() {
        return context.getBean(SpoeServer.class);
    }

    public int port() {
        return port;
    }

    /** The HTTP port of the running instance. */
    public int httpPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The Actuator port (probes, scrape): the management server's, or the HTTP port without one. */
    public int managementPort() {
        Integer port = context.getEnvironment().getProperty("local.management.port", Integer.class);
        return port != null ? port : httpPort();
    }

    public String name() {
        return name;
    }

    /** Starts a new peak measurement. */
    public synchronized void markPeak() {
        peakBeforeRestart = 0;
        if (context != null) {
            server().registry().resetPeak();
        }
    }

    /** The most connections open at once since {@link #markPeak()}, over restarts. */
    public synchronized int peak() {
        int current = context == null ? 0 : server().registry().peak();
        return Math.max(current, peakBeforeRestart);
    }

    /** Engine-ids of every data connection since the first start. */
    public Set<String> engineIds() {
        return Set.copyOf(engineIds);
    }

    public synchronized List<DrainReport> drains() {
        return List.copyOf(drains);
    }

    @Override
    public synchronized void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Override
    public String toString() {
        return name + "@127.0.0.1:" + port + (running() ? "" : " (stopped)");
    }
}
