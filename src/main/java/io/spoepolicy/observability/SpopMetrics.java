package io.spoepolicy.observability;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.SpopStatus;
import io.spoepolicy.server.CloseReason;
import io.spoepolicy.server.SessionContext;
import io.spoepolicy.server.SessionInfo;
import io.spoepolicy.server.SessionObserver;
import io.spoepolicy.server.SessionRegistry;

/**
 * SPOP protocol meters, fed by the sessions' observer calls. Every meter is registered up front
 * or on the first use of a tag value and then cached, so the per-frame and per-NOTIFY calls (on
 * the event loops) are array or map reads plus an atomic add, with no allocation. No tag carries
 * a peer address, an engine id or anything taken from a request.
 */
public final class SpopMetrics implements SessionObserver {

    private static final int ENGINES_REMEMBERED = 1024;

    private final MeterRegistry registry;
    private final long lateAckNanos;

    private final Counter opened;
    private final Counter[] closed = new Counter[CloseReason.values().length];
    private final Counter[] framesIn = new Counter[256];
    private final Counter[] framesOut = new Counter[256];
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter fragmented;
    private final Counter fragmentsAborted;
    private final Counter fragmentsTooLarge;
    private final Counter lateAcks;
    private final Counter trimmedAcks;
    private final Counter[] protocolErrors = new Counter[SpopStatus.values().length];
    private final Counter[] disconnectsReceived = new Counter[SpopStatus.values().length];
    private final Counter enginesSeen;
    private final BoundedTagValues<Timer> notifyDuration;
    private final BoundedTagValues<Counter> handshakes;

    /** Engine ids seen recently, oldest first; touched only on handshakes. */
    private final Map<String, Boolean> engines = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENGINES_REMEMBERED;
        }
    };

    /**
     * @param lateAck an ACK sent later than this after its NOTIFY arrived counts as late (the
     *        policy deadline: HAProxy's {@code timeout processing} is set just above it)
     */
    public SpopMetrics(MeterRegistry registry, SessionRegistry sessions, Duration lateAck, int maxTagValues) {
        this.registry = registry;
        this.lateAckNanos = lateAck.toNanos();

        Gauge.builder("spoe.connections.active", sessions, SessionRegistry::size)
                .description("Open SPOP connections, health checks included")
                .strongReference(true).register(registry);
        Gauge.builder("spoe.notify.inflight", sessions, SessionRegistry::inFlight)
                .description("NOTIFYs received and not yet acknowledged")
                .strongReference(true).register(registry);
        Gauge.builder("spoe.engines.connected", sessions, SpopMetrics::connectedEngines)
                .description("Distinct HAProxy engine-ids among open connections (2+ during a reload)")
                .strongReference(true).register(registry);

        opened = Counter.builder("spoe.connections.opened").description("SPOP connections accepted")
                .register(registry);
        for (CloseReason reason : CloseReason.values()) {
            closed[reason.ordinal()] = Counter.builder("spoe.connections.closed")
                    .description("SPOP connections closed, by reason")
                    .tag("reason", MeterNames.tagValue(reason)).register(registry);
        }

        Counter unknownIn = frameCounter("spoe.frames.received", "unknown");
        Counter unknownOut = frameCounter("spoe.frames.sent", "unknown");
        Arrays.fill(framesIn, unknownIn);
        Arrays.fill(framesOut, unknownOut);
        for (FrameType type : FrameType.values()) {
            if (type.id() < FrameType.AGENT_HELLO.id()) {
                framesIn[type.id()] = frameCounter("spoe.frames.received", frameTag(type));
            }
            else {
                framesOut[type.id()] = frameCounter("spoe.frames.sent", frameTag(type));
            }
        }
        bytesIn = Counter.builder("spoe.received.bytes").baseUnit("bytes")
                .description("Bytes of SPOP frames received, length prefix included").register(registry);
        bytesOut = Counter.builder("spoe.sent.bytes").baseUnit("bytes")
                .description("Bytes of SPOP frames sent, length prefix included").register(registry);

        fragmented = Counter.builder("spoe.notify.fragmented")
                .description("NOTIFYs received in several fragments and reassembled").register(registry);
        fragmentsAborted = Counter.builder("spoe.notify.fragmented.dropped").tag("cause", "aborted")
                .description("Fragmented NOTIFYs dropped before completion").register(registry);
        fragmentsTooLarge = Counter.builder("spoe.notify.fragmented.dropped").tag("cause", "too-large")
                .description("Fragmented NOTIFYs dropped before completion").register(registry);
        lateAcks = Counter.builder("spoe.acks.late")
                .description("ACKs sent later than the policy deadline after their NOTIFY arrived")
                .register(registry);
        trimmedAcks = Counter.builder("spoe.acks.trimmed")
                .description("ACKs that lost actions to fit the negotiated frame size").register(registry);

        for (SpopStatus status : SpopStatus.values()) {
            Tags tags = Tags.of("status", MeterNames.tagValue(status), "code", Integer.toString(status.code()));
            if (status != SpopStatus.NORMAL) {
                protocolErrors[status.ordinal()] = Counter.builder("spoe.protocol.errors").tags(tags)
                        .description("AGENT-DISCONNECTs sent with an error status").register(registry);
            }
            disconnectsReceived[status.ordinal()] = Counter.builder("spoe.disconnects.received").tags(tags)
                    .description("HAPROXY-DISCONNECTs received, by status").register(registry);
        }

        enginesSeen = Counter.builder("spoe.engines.seen")
                .description("HAProxy engine-ids seen for the first time (a reload brings new ones)")
                .register(registry);
        notifyDuration = new BoundedTagValues<>(maxTagValues, message -> Timer.builder("spoe.notify.duration")
                .description("Time from a NOTIFY fully received to its ACK written, by message name")
                .tag("message", message)
                .serviceLevelObjectives(MeterNames.LATENCY_BUCKETS)
                .minimumExpectedValue(MeterNames.LATENCY_MIN)
                .maximumExpectedValue(MeterNames.LATENCY_MAX)
                .register(registry));
        handshakes = new BoundedTagValues<>(maxTagValues, key -> {
            String[] parts = key.split("\\|", -1);
            return Counter.builder("spoe.handshakes")
                    .description("HELLOs answered, by kind, negotiated capabilities and frame size")
                    .tag("kind", parts[0]).tag("capabilities", parts[1]).tag("max.frame.size", parts[2])
                    .register(registry);
        });
    }

    private Counter frameCounter(String name, String type) {
        return Counter.builder(name).description("SPOP frames, by type").tag("type", type).register(registry);
    }

    /** UNSET frames are the continuation fragments of a NOTIFY. */
    private static String frameTag(FrameType type) {
        return type == FrameType.UNSET ? "fragment" : MeterNames.tagValue(type);
    }

    private static double connectedEngines(SessionRegistry sessions) {
        Set<String> ids = new HashSet<>();
        for (SessionInfo info : sessions.snapshot()) {
            if (info.engineId() != null) {
                ids.add(info.engineId());
            }
        }
        return ids.size();
    }

    @Override
    public void connectionOpened(SessionInfo session) {
        opened.increment();
    }

    @Override
    public void connectionClosed(SessionInfo session, CloseReason reason) {
        closed[reason.ordinal()].increment();
    }

    @Override
    public void handshakeCompleted(SessionInfo session) {
        String kind = session.healthcheck() ? "healthcheck" : "processing";
        String capabilities = session.capabilities().isEmpty() ? "none"
                : String.join(",", session.capabilities().stream().sorted().toList());
        handshakes.get(kind + "|" + capabilities + "|" + session.maxFrameSize()).increment();
        String engineId = session.engineId();
        if (engineId != null) {
            boolean first;
            synchronized (engines) {
                first = engines.put(engineId, Boolean.TRUE) == null;
            }
            if (first) {
                enginesSeen.increment();
            }
        }
    }

    @Override
    public void frameReceived(int type, int bytes) {
        framesIn[type & 0xff].increment();
        bytesIn.increment(bytes);
    }

    @Override
    public void frameSent(int type, int bytes) {
        framesOut[type & 0xff].increment();
        bytesOut.increment(bytes);
    }

    @Override
    public void notifyAcknowledged(SessionContext session, InboundFrame.Notify notify, long nanos) {
        notifyDuration.get(messageKey(notify.messages())).record(nanos, TimeUnit.NANOSECONDS);
        if (nanos > lateAckNanos) {
            lateAcks.increment();
        }
    }

    /** The message name; a NOTIFY grouping several messages is keyed by all names. */
    private static String messageKey(List<SpopMessage> messages) {
        if (messages.size() == 1) {
            return messages.get(0).name();
        }
        if (messages.isEmpty()) {
            return "none";
        }
        StringBuilder key = new StringBuilder();
        for (SpopMessage message : messages) {
            key.append(key.isEmpty() ? "" : "+").append(message.name());
        }
        return key.toString();
    }

    @Override
    public void fragmentedNotifyReceived() {
        fragmented.increment();
    }

    @Override
    public void fragmentDropped(boolean rejectedBySize) {
        (rejectedBySize ? fragmentsTooLarge : fragmentsAborted).increment();
    }

    @Override
    public void ackTrimmed() {
        trimmedAcks.increment();
    }

    @Override
    public void disconnectSent(SpopStatus status) {
        Counter counter = protocolErrors[status.ordinal()];
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void disconnectReceived(SpopStatus status) {
        disconnectsReceived[status.ordinal()].increment();
    }
}
