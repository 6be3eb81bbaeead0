package io.spoepolicy.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.policy.SpoePolicy;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.server.SessionInfo;
import io.spoepolicy.server.SessionObserver;

/**
 * Test-only beans that let the end-to-end tests see inside the agent: a session observer counting
 * connections and fragments, and a policy that answers {@code /slow/...} requests after a delay
 * (without holding a thread) so that NOTIFYs overlap and pipelining becomes measurable, and fails
 * on {@code /fail/...} so the agent_error path can be exercised. Every other request passes through
 * it with an allow, which leaves the built-in policies' decisions unchanged.
 */
@TestConfiguration(proxyBeanMethods = false)
class AgentProbes {

    static final String SLOW_PATH = "/slow/";
    static final Duration SLOW_DELAY = Duration.ofMillis(10);
    static final String FAIL_PATH = "/fail/";
    static final String BIG_HEADER = "x-big";

    @Bean
    ConnectionProbe connectionProbe() {
        return new ConnectionProbe();
    }

    @Bean
    ProbePolicy probePolicy() {
        return new ProbePolicy();
    }

    static final class ConnectionProbe implements SessionObserver {
        private final List<SessionInfo> dataSessions = new CopyOnWriteArrayList<>();
        private final AtomicInteger healthChecks = new AtomicInteger();
        private final AtomicLong fragmentFrames = new AtomicLong();

        @Override
        public void handshakeCompleted(SessionInfo session) {
            if (session.healthcheck()) {
                healthChecks.incrementAndGet();
            } else {
                dataSessions.add(session);
            }
        }

        @Override
        public void frameReceived(int type, int bytes) {
            // HAProxy 2.x sends the second and later pieces of a fragmented NOTIFY as UNSET frames.
            if (type == FrameType.UNSET.id()) {
                fragmentFrames.incrementAndGet();
            }
        }

        /** Sessions whose data handshake (not a health check) completed since the last reset. */
        List<SessionInfo> dataSessions() {
            return List.copyOf(dataSessions);
        }

        int healthChecks() {
            return healthChecks.get();
        }

        long fragmentFrames() {
            return fragmentFrames.get();
        }

        void reset() {
            dataSessions.clear();
            healthChecks.set(0);
            fragmentFrames.set(0);
        }
    }

    static final class ProbePolicy implements SpoePolicy {
        static final String NAME = "e2e-probe";

        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger maxOverlap = new AtomicInteger();
        private final AtomicInteger lastBigHeaderLength = new AtomicInteger(-1);

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Mono<Decision> evaluate(PolicyRequest request) {
            String big = request.headers().first(BIG_HEADER);
            if (big != null) {
                lastBigHeaderLength.set(big.length());
            }
            if (request.path().startsWith(FAIL_PATH)) {
                return Mono.error(new IllegalStateException("probe failure requested by the test"));
            }
            if (!request.path().startsWith(SLOW_PATH)) {
                return Mono.just(Decision.allow());
            }
            maxOverlap.accumulateAndGet(current.incrementAndGet(), Math::max);
            return Mono.delay(SLOW_DELAY)
                    .map(tick -> Decision.allow())
                    .doFinally(signal -> current.decrementAndGet());
        }

        /** Most NOTIFYs for slow paths the agent was processing at the same time. */
        int maxOverlap() {
            return maxOverlap.get();
        }

        /** Length of the last {@value #BIG_HEADER} header value the agent received, -1 if none. */
        int lastBigHeaderLength() {
            return lastBigHeaderLength.get();
        }

        void reset() {
            maxOverlap.set(0);
            lastBigHeaderLength.set(-1);
        }
    }
}
