package io.spoepolicy.server.warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.spoepolicy.server.SpoeServer;
import io.spoepolicy.server.WarmupConnections;

/**
 * Warms the request path up after the SPOP listener is bound and before the service reports
 * ready. Right after start the JIT has compiled nothing and a good part of the request path is
 * not even loaded, so the first health checks and NOTIFYs are slow enough for HAProxy's
 * {@code timeout processing} to expire under load. This sends synthetic {@code check-request}
 * NOTIFYs over a loopback connection through the real decoder, session, dispatcher, policies and
 * encoder.
 *
 * <p>It runs in the lifecycle phase after the listener's, on the startup thread: Spring Boot
 * publishes {@code ReadinessState.ACCEPTING_TRAFFIC} only once every lifecycle bean has started,
 * so readiness waits for it, and never longer than {@code max-duration}. A failure is logged and
 * startup goes on: a cold agent is better than none.
 *
 * <p>The synthetic requests leave no trace: the listener recognises the connection by its
 * reserved client address ({@link WarmupConnections}) and gives it a session no registry or
 * observer sees; its requests are marked ({@code PolicyRequest.warmup()}) so the dispatcher tells
 * no listener (metrics, decision log), runs only policies that declare themselves safe to warm up,
 * and the rate limit consumes no bucket.
 */
public final class SpopWarmup implements SmartLifecycle {

    /** Right after the listener ({@link SpoeServer#PHASE}) has bound. */
    public static final int PHASE = SpoeServer.PHASE + 1;

    /** NOTIFYs in flight at once: below HAProxy's default of 20 per connection. */
    static final int WINDOW = 16;

    private static final Logger log = LoggerFactory.getLogger(SpopWarmup.class);

    private final SpoeServer server;
    private final WarmupConnections connections;
    private final Settings settings;
    private final String skipReason;

    private volatile boolean running;
    private volatile WarmupReport report;

    /**
     * @param skipReason why warm-up cannot run in this configuration (e.g. a TLS listener, which a
     *        plain loopback client cannot speak to), or {@code null}
     */
    public SpopWarmup(SpoeServer server, WarmupConnections connections, Settings settings, String skipReason) {
        this.server = server;
        this.connections = connections;
        this.settings = settings;
        this.skipReason = skipReason;
    }

    @Override
    public void start() {
        running = true;
        report = warmUp();
    }

    private WarmupReport warmUp() {
        if (!settings.enabled()) {
            return WarmupReport.notRun(WarmupReport.Outcome.DISABLED, "");
        }
        if (skipReason != null) {
            log.info("SPOP warm-up skipped: {}", skipReason);
            return WarmupReport.notRun(WarmupReport.Outcome.SKIPPED, skipReason);
        }
        InetSocketAddress address = server.address();
        if (address == null) {
            return WarmupReport.notRun(WarmupReport.Outcome.SKIPPED, "the SPOP listener is not bound");
        }
        long start = System.nanoTime();
        long deadline = start + settings.maxDuration().toNanos();
        WarmupClient.Progress progress = new WarmupClient.Progress();
        WarmupReport result;
        try {
            new WarmupClient(connections).run(address, settings.requests(), WINDOW, deadline, progress);
            result = new WarmupReport(WarmupReport.Outcome.COMPLETED, progress.acknowledged, since(start), "");
            log.info("SPOP warm-up: {} synthetic NOTIFYs answered in {} ms", progress.acknowledged,
                    result.took().toMillis());
        }
        catch (SocketTimeoutException ex) {
            result = new WarmupReport(WarmupReport.Outcome.TIMED_OUT, progress.acknowledged, since(start),
                    "spoe.server.warmup.max-duration (" + settings.maxDuration() + ") passed");
            log.warn("SPOP warm-up stopped after spoe.server.warmup.max-duration ({}): {} of {} NOTIFYs answered; "
                    + "reporting ready anyway", settings.maxDuration(), progress.acknowledged, settings.requests());
        }
        catch (IOException | RuntimeException ex) {
            result = new WarmupReport(WarmupReport.Outcome.FAILED, progress.acknowledged, since(start), ex.toString());
            log.warn("SPOP warm-up failed after {} NOTIFYs ({}); reporting ready anyway", progress.acknowledged,
                    ex.toString());
        }
        return result;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The last warm-up's outcome; {@code null} before the lifecycle started. */
    public WarmupReport report() {
        return report;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * @param enabled whether to warm up at all
     * @param requests synthetic NOTIFYs to send
     * @param maxDuration readiness is never held longer than this by the warm-up
     */
    public record Settings(boolean enabled, int requests, Duration maxDuration) {
    }
}
