package io.spoepolicy.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The SPOP listener ({@code spoe.server.*}).
 *
 * @param host address to bind; {@code 0.0.0.0} for every interface
 * @param port SPOP port; 0 picks a free port (published by {@code SpoeServerStartedEvent})
 * @param maxFrameSize largest frame the agent accepts and announces; the negotiated size is the
 *        smaller of this and HAProxy's (HAProxy's default is 16380 = tune.bufsize - 4)
 * @param backlog listen backlog; HAProxy reloads open a burst of connections at once
 * @param helloTimeout a connection that sends no HELLO in this time is closed
 * @param idleTimeout agent-side close of connections quiet for this long; {@code 0} (default)
 *        leaves idle connections to HAProxy. When set it must exceed HAProxy's {@code timeout idle}
 * @param ioThreads event-loop threads for SPOP; 0 uses the number of CPUs
 * @param emptyAck what an ACK with no decision actions carries
 * @param limits resource limits per connection and in total
 * @param fragmentation reassembly of fragmented NOTIFYs (HAProxy 2.x)
 * @param drain graceful shutdown timing
 * @param warmup synthetic traffic through the request path before the service reports ready
 */
@Validated
@ConfigurationProperties("spoe.server")
public record SpoeServerProperties(
        @DefaultValue("0.0.0.0") @NotBlank String host,
        @DefaultValue("12345") @Min(0) @Max(65535) int port,
        @DefaultValue("16380") @Min(256) @Max(16_777_216) int maxFrameSize,
        @DefaultValue("4096") @Min(1) int backlog,
        @DefaultValue("5s") @NotNull Duration helloTimeout,
        @DefaultValue("0s") @NotNull Duration idleTimeout,
        @DefaultValue("0") @Min(0) @Max(1024) int ioThreads,
        @DefaultValue("noop-action") @NotNull EmptyAck emptyAck,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Fragmentation fragmentation,
        @DefaultValue @Valid Drain drain,
        @DefaultValue @Valid Warmup warmup) {

    /**
     * @param enabled after the listener is bound and before readiness, send synthetic
     *        {@code check-request} NOTIFYs over a loopback connection so the first real ones do
     *        not run cold (interpreted, classes loading); skipped with a TLS listener
     * @param requests synthetic NOTIFYs to send (16 in flight at a time)
     * @param maxDuration readiness is never held longer than this by the warm-up; when it passes
     *        the service reports ready anyway (logged)
     */
    public record Warmup(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("500") @Min(1) @Max(100_000) int requests,
            @DefaultValue("3s") @NotNull Duration maxDuration) {

        @AssertTrue(message = "spoe.server.warmup.max-duration must be positive")
        public boolean isMaxDurationPositive() {
            return maxDuration == null || !(maxDuration.isNegative() || maxDuration.isZero());
        }
    }

    /** How an ACK without decision actions is sent. */
    public enum EmptyAck {
        /** A harmless UNSET-VAR of an unregistered name: early 3.1.x stalls on empty ACKs. */
        NOOP_ACTION,
        /** A truly empty action list, as the protocol allows. */
        EMPTY
    }

    /**
     * @param maxInFlightPerConnection NOTIFYs processed at once on one connection; reading pauses
     *        above it (HAProxy sends at most 20 per connection by default)
     * @param maxInFlight NOTIFYs processed at once in total; reading pauses above it
     * @param maxConnections open connections at most; 0 means no limit (the default, because a
     *        reload briefly doubles the connections)
     * @param maxMessagesPerFrame messages one NOTIFY may carry
     * @param maxInboundFrameSize largest frame accepted from HAProxy. Early 3.1.x releases sent
     *        frames up to their own announced size even when the agent negotiated a smaller one,
     *        so frames up to HAProxy's announced size are accepted, but never above this bound
     */
    public record Limits(
            @DefaultValue("64") @Min(1) int maxInFlightPerConnection,
            @DefaultValue("10000") @Min(1) int maxInFlight,
            @DefaultValue("0") @Min(0) int maxConnections,
            @DefaultValue("64") @Min(1) @Max(10_000) int maxMessagesPerFrame,
            @DefaultValue("1048576") @Min(256) int maxInboundFrameSize) {
    }

    /**
     * @param enabled announce the {@code fragmentation} capability and reassemble; without it
     *        HAProxy 2.x loops on DISCONNECT 10 for messages larger than a frame
     * @param maxMessageSize bytes one reassembled NOTIFY may reach; larger ones are aborted
     */
    public record Fragmentation(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1048576") @Min(256) int maxMessageSize) {
    }

    /**
     * @param window after shutdown starts, keep serving new connections and NOTIFYs this long while
     *        health checks are refused, so HAProxy marks the agent DOWN (≥ inter × fall, plus the
     *        DNS hold time when HAProxy discovers agents through DNS); the listener closes after it
     * @param quietPeriod then a connection is closed (AGENT-DISCONNECT 0) only after nothing was
     *        in flight, received or sent on it for this long (never right after its last ACK)
     * @param linger after AGENT-DISCONNECT, wait this long for HAProxy to close before closing;
     *        also the time granted after the deadline for busy connections to reach an idle moment
     * @param deadline counted from the start of the drain, window included: connections still open
     *        then (HAProxy 2.x keeps feeding connections of a DOWN agent) are closed at their next
     *        idle moment; at deadline + linger whatever is left is closed and its in-flight NOTIFYs
     *        are counted as lost. deadline + linger + 1s must fit in
     *        {@code spring.lifecycle.timeout-per-shutdown-phase}
     */
    public record Drain(
            @DefaultValue("3s") @NotNull Duration window,
            @DefaultValue("200ms") @NotNull Duration quietPeriod,
            @DefaultValue("2s") @NotNull Duration linger,
            @DefaultValue("10s") @NotNull Duration deadline) {

        @AssertTrue(message = "spoe.server.drain.window + spoe.server.drain.quiet-period must not exceed "
                + "spoe.server.drain.deadline: no connection could close quietly before the deadline")
        public boolean isWindowWithinDeadline() {
            return window == null || deadline == null || quietPeriod == null
                    || window.plus(quietPeriod).compareTo(deadline) <= 0;
        }

        @AssertTrue(message = "spoe.server.drain.window, quiet-period, linger and deadline must not be negative, "
                + "and quiet-period must be positive")
        public boolean isPositive() {
            return window == null || quietPeriod == null || linger == null || deadline == null
                    || !(window.isNegative() || linger.isNegative() || deadline.isNegative()
                            || quietPeriod.isNegative() || quietPeriod.isZero());
        }
    }
}
