package io.spoepolicy.server;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import io.spoepolicy.server.warmup.SpopWarmup;

/**
 * Gives readiness back when the context is stopped and started again without being closed
 * ({@code ConfigurableApplicationContext.stop()/start()}, or a test framework pausing a cached
 * context). Stopping drains SPOP and publishes {@code REFUSING_TRAFFIC}; Spring Boot publishes
 * {@code ACCEPTING_TRAFFIC} once, when the application is first ready, so without this the agent
 * would serve SPOP again while its readiness probe kept failing.
 *
 * <p>Runs after the listener and the warm-up, so on a restart readiness returns only once the
 * listener is bound and warm, as at startup. It restores what readiness was when the stop began:
 * a state someone else set (an operator taking the agent out of rotation) stays as it was.
 */
public final class ReadinessAfterRestart implements SmartLifecycle {

    /** After {@link SpopWarmup#PHASE}: starts last, stops first (before the listener drains). */
    public static final int PHASE = SpopWarmup.PHASE + 1;

    private final ApplicationAvailability availability;
    private final ApplicationEventPublisher publisher;

    private volatile boolean running;
    /** Readiness when the last stop began; {@code null} before any stop. */
    private volatile ReadinessState beforeStop;

    public ReadinessAfterRestart(ApplicationAvailability availability, ApplicationEventPublisher publisher) {
        this.availability = availability;
        this.publisher = publisher;
    }

    @Override
    public void start() {
        running = true;
        ReadinessState restore = beforeStop;
        beforeStop = null;
        if (restore == ReadinessState.ACCEPTING_TRAFFIC) {
            AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }

    @Override
    public void stop() {
        beforeStop = availability.getReadinessState();
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
}
