package io.spoepolicy.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.InboundFrame;
import io.spoepolicy.protocol.OutboundFrame;
import io.spoepolicy.protocol.PeerStrings;
import io.spoepolicy.protocol.SpopFrameDecoder;
import io.spoepolicy.protocol.SpopFrameEncoder;
import io.spoepolicy.protocol.SpopProtocolException;
import io.spoepolicy.protocol.SpopStatus;

/**
 * One SPOP connection: handshake, pipelined NOTIFYs, disconnects and draining.
 *
 * <p>All state changes happen on the connection's event loop; policy results computed elsewhere
 * hop back to it. Fields read by monitoring from other threads are volatile. The rules the state
 * machine keeps: every NOTIFY fully received gets exactly one ACK unless HAProxy itself
 * disconnected first; the agent disconnects only when nothing is in flight; every agent-side
 * close sends AGENT-DISCONNECT, shuts the write side and waits (bounded) for HAProxy to close, so
 * that no ACK is lost to a reset.
 *
 * <p>Each decoded NOTIFY holds a lease on its payload buffer, which this session gives back
 * exactly once, on the event loop, when the NOTIFY's life here ends: after its ACK was written
 * (or not written because the connection was closing), or when it is dropped unstarted (closed
 * connection, HAProxy's DISCONNECT, protocol error). A policy evaluation still running then
 * holds its own reference (see {@code PolicyDispatcher}), so the buffer is recycled only when
 * both are done.
 */
public final class SpopSession extends ChannelInboundHandlerAdapter implements SessionContext {

    private static final Logger log = LoggerFactory.getLogger(SpopSession.class);

    private static final String VERSION = "2.0";

    /** Delay that makes the event loop poll the socket again before a drain disconnect. */
    private static final long READ_PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final long id;
    private final SessionSettings settings;
    private final SpopFrameDecoder decoder;
    private final SpopFrameEncoder encoder;
    private final NotifyHandler handler;
    private final InflightLimiter limiter;
    private final SessionRegistry registry;
    private final SessionObserver observer;
    private final DrainSignal drain;
    private final PeerLogs peerLogs;
    private final boolean warmup;
    private final Instant openedAt = Instant.now();

    private Channel channel;
    private volatile SessionState state = SessionState.HANDSHAKING;
    private volatile String engineId;
    private volatile String version;
    private volatile int maxFrameSize;
    private volatile List<String> capabilities = List.of();
    private volatile boolean healthcheck;
    private volatile int inFlight;
    private volatile long framesIn;
    private volatile long framesOut;

    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final Runnable wakeUp = this::permitMayBeAvailable;
    private boolean waitingForPermit;
    private boolean readPaused;
    private boolean inReadLoop;
    private boolean flushPending;
    private long lastActivityNanos = System.nanoTime();
    /** Type of the last frame header decoded: a NOTIFY decoded right after a fragment was fragmented. */
    private int lastFrameType = -1;
    private OutboundFrame.AgentDisconnect pendingDisconnect;
    private CloseReason closeReason;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> idleCheck;
    /** Set at the drain deadline: disconnect at the first moment nothing is in flight. */
    private long closeWhenIdleNanos = -1;
    private ScheduledFuture<?> idleCloseCheck;
    private ScheduledFuture<?> quietCloseCheck;

    SpopSession(long id, SessionSettings settings, NotifyHandler handler, InflightLimiter limiter,
            SessionRegistry registry, SessionObserver observer, DrainSignal drain, PeerLogs peerLogs,
            boolean warmup) {
        this.id = id;
        this.warmup = warmup;
        this.peerLogs = peerLogs;
        this.settings = settings;
        this.handler = handler;
        this.limiter = limiter;
        this.registry = registry;
        this.observer = observer;
        this.drain = drain;
        this.encoder = new SpopFrameEncoder();
        // Until the HELLO, only the agent's own size is accepted: a HELLO is tiny.
        this.decoder = new SpopFrameDecoder(settings.maxFrameSize(), settings.maxMessagesPerFrame(),
                settings.maxReassembledSize());
        this.decoder.frameMeter(this::frameDecoded);
    }

    /** The frame decoder to install in front of this handler. */
    public SpopFrameDecoder decoder() {
        return decoder;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String engineId() {
        return engineId;
    }

    @Override
    public SocketAddress peer() {
        return channel == null ? null : channel.remoteAddress();
    }

    @Override
    public boolean warmup() {
        return warmup;
    }

    int inFlight() {
        return inFlight;
    }

    SessionState state() {
        return state;
    }

    public SessionInfo info() {
        return new SessionInfo(id, peer(), state, engineId, version, maxFrameSize, capabilities, healthcheck,
                inFlight, framesIn, framesOut, openedAt);
    }

    // ---------------------------------------------------------------- connection events

    /** Called by the decoder before it decodes each frame, so before the frame is dispatched. */
    private void frameDecoded(int type, int bytes) {
        lastFrameType = type;
        observer.frameReceived(type, bytes);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Installed once the channel is already active, so channelActive will not be seen.
        channel = ctx.channel();
        // Reactor Netty reads on demand of its inbound publisher, which sessions never subscribe
        // to: they read continuously and pause reading themselves for backpressure.
        channel.config().setAutoRead(true);
        registry.add(this);
        observer.connectionOpened(info());
        timer = schedule(settings.helloTimeout(), this::helloTimedOut);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof InboundFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inReadLoop = true;
        lastActivityNanos = System.nanoTime();
        framesIn++;
        if (state == SessionState.CLOSING || state == SessionState.CLOSED) {
            if (frame instanceof InboundFrame.Notify notify) {
                notify.release();
            }
            return;
        }
        if (frame instanceof InboundFrame.Notify notify) {
            onNotify(notify);
        }
        else if (frame instanceof InboundFrame.HaproxyHello hello) {
            onHello(hello);
        }
        else if (frame instanceof InboundFrame.HaproxyDisconnect disconnect) {
            onHaproxyDisconnect(disconnect);
        }
        else if (frame instanceof InboundFrame.NotifyTooLarge tooLarge) {
            observer.fragmentDropped(true);
            log.debug("Connection {}: fragmented NOTIFY {}/{} exceeds {} bytes, aborted", id,
                    tooLarge.streamId(), tooLarge.frameId(), settings.maxReassembledSize());
            send(new OutboundFrame.Ack(tooLarge.streamId(), tooLarge.frameId(), List.of(), true));
        }
        else if (frame instanceof InboundFrame.FragmentAborted) {
            observer.fragmentDropped(false);
        }
        else if (frame instanceof InboundFrame.Unknown unknown) {
            if (state == SessionState.HANDSHAKING) {
                protocolError(SpopStatus.INVALID_FRAME, "expected HAPROXY-HELLO, got frame type " + unknown.type());
            }
            else {
                log.debug("Connection {}: ignoring frame of unknown type {}", id, unknown.type());
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadLoop = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SpopProtocolException protocol) {
            protocolError(protocol.status(), protocol.getMessage());
        }
        else if (root instanceof IOException) {
            // Resets are how HAProxy 3.1+ closes pooled connections: not an error.
            log.debug("Connection {}: {}", id, root.toString());
            closeReason = closeReason == null ? CloseReason.PEER_CLOSED : closeReason;
            ctx.close();
        }
        else {
            log.warn("Connection {}: unexpected failure", id, root);
            protocolError(SpopStatus.UNKNOWN, "internal agent error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        SessionState previous = state;
        state = SessionState.CLOSED;
        cancel(timer);
        cancel(idleCheck);
        cancel(idleCloseCheck);
        cancel(quietCloseCheck);
        dropWaiting();
        CloseReason reason = closeReason != null ? closeReason
                : previous == SessionState.HEALTHCHECK ? CloseReason.HEALTHCHECK : CloseReason.PEER_CLOSED;
        registry.remove(this, reason);
        if (reason == CloseReason.PEER_CLOSED && inFlight > 0) {
            long suppressed = peerLogs.closes.tryAcquire();
            if (suppressed >= 0) {
                log.info("Connection {} from {} closed by HAProxy with {} NOTIFY(s) in flight{}", id, peer(), inFlight,
                        PeerLogs.more(suppressed));
            }
            else {
                log.debug("Connection {} from {} closed by HAProxy with {} NOTIFY(s) in flight", id, peer(), inFlight);
            }
        }
        else {
            log.debug("Connection {} from {} closed: {}", id, peer(), reason);
        }
        observer.connectionClosed(info(), reason);
        ctx.fireChannelInactive();
    }

    // ---------------------------------------------------------------- handshake

    private void onHello(InboundFrame.HaproxyHello hello) {
        if (state != SessionState.HANDSHAKING) {
            protocolError(SpopStatus.INVALID_FRAME, "unexpected HAPROXY-HELLO after the handshake");
            return;
        }
        cancel(timer);
        if (!offersVersion2(hello.supportedVersions())) {
            refuse(SpopStatus.UNSUPPORTED_VERSION, "unsupported version: agent speaks " + VERSION);
            return;
        }
        long offered = hello.maxFrameSize();
        if (offered < 0) {
            refuse(SpopStatus.NO_FRAME_SIZE, SpopStatus.NO_FRAME_SIZE.reason());
            return;
        }
        if (offered < 256) {
            refuse(SpopStatus.BAD_FRAME_SIZE, "max-frame-size " + offered + " is below 256");
            return;
        }
        int negotiated = (int) Math.min(settings.maxFrameSize(), offered);
        engineId = hello.engineId();
        healthcheck = hello.healthcheck();
        version = VERSION;
        maxFrameSize = negotiated;
        capabilities = effectiveCapabilities(hello.capabilities());
        OutboundFrame.AgentHello answer = new OutboundFrame.AgentHello(VERSION, negotiated, settings.capabilities());
        if (healthcheck) {
            if (drain.draining()) {
                // A refused check is how HAProxy learns to stop choosing this agent.
                closeReason = CloseReason.HEALTHCHECK;
                disconnect(new OutboundFrame.AgentDisconnect(SpopStatus.NORMAL.code(), "agent is draining"));
                return;
            }
            state = SessionState.HEALTHCHECK;
            send(answer);
            observer.handshakeCompleted(info());
            // HAProxy closes after reading the answer; close ourselves only if it does not.
            timer = schedule(settings.helloTimeout(), () -> closeNow(CloseReason.HEALTHCHECK));
            return;
        }
        // Tolerate early 3.1.x, which sent frames up to its own size whatever the agent said.
        decoder.maxFrameLength((int) Math.max(negotiated, Math.min(offered, settings.maxInboundFrameSize())));
        decoder.fragmentationAccepted(settings.fragmentation());
        state = SessionState.PROCESSING;
        send(answer);
        observer.handshakeCompleted(info());
        if (!settings.idleTimeout().isZero()) {
            long period = Math.max(10, settings.idleTimeout().toMillis() / 4);
            idleCheck = channel.eventLoop().scheduleAtFixedRate(
                    () -> closeIfQuiet(settings.idleTimeout().toNanos()), period, period, TimeUnit.MILLISECONDS);
        }
    }

    private static boolean offersVersion2(List<String> versions) {
        for (String candidate : versions) {
            int dot = candidate.indexOf('.');
            if (dot <= 0) {
                continue;
            }
            try {
                int major = Integer.parseInt(candidate.substring(0, dot).trim());
                int minor = Integer.parseInt(candidate.substring(dot + 1).trim());
                if (major == 2 && minor == 0) {
                    return true;
                }
            }
            catch (NumberFormatException ignored) {
                // Not MAJOR.MINOR: skip it, another entry may still be 2.0.
            }
        }
        return false;
    }

    /** Pipelining needs both sides; fragmentation only needs the receiver (the agent). */
    private List<String> effectiveCapabilities(List<String> offered) {
        List<String> effective = new ArrayList<>(2);
        for (String capability : settings.capabilities()) {
            if (!capability.equals("pipelining") || offered.contains("pipelining")) {
                effective.add(capability);
            }
        }
        return List.copyOf(effective);
    }

    private void helloTimedOut() {
        if (state == SessionState.HANDSHAKING) {
            log.debug("Connection {} from {}: no HELLO within {}", id, peer(), settings.helloTimeout());
            closeReason = CloseReason.HELLO_TIMEOUT;
            ChannelHandlerContext tls = channel.pipeline().context(SslHandler.class);
            if (tls != null && !((SslHandler) tls.handler()).handshakeFuture().isDone()) {
                // No TLS session yet to carry a DISCONNECT: close the socket below the TLS layer.
                state = SessionState.CLOSING;
                tls.close();
                return;
            }
            disconnect(new OutboundFrame.AgentDisconnect(SpopStatus.TIMEOUT.code(), "no HELLO received in time"));
        }
    }

    // ---------------------------------------------------------------- notify / ack

    private void onNotify(InboundFrame.Notify notify) {
        if (state != SessionState.PROCESSING) {
            notify.release();
            protocolError(SpopStatus.INVALID_FRAME, "NOTIFY before the handshake");
            return;
        }
        if (lastFrameType == FrameType.UNSET.id()) {
            observer.fragmentedNotifyReceived();
        }
        waiting.add(new Pending(notify, System.nanoTime()));
        startWaiting();
        if (inFlight + waiting.size() >= settings.maxInFlightPerConnection()) {
            pauseReading();
        }
    }

    /**
     * Starts queued NOTIFYs while both limits allow. Pausing the reads is not enough for the
     * per-connection one: the frames of one read are all decoded, and a peer can pack thousands
     * of small NOTIFYs into it; they wait here instead of running at once.
     */
    private void startWaiting() {
        while (!waiting.isEmpty() && inFlight < settings.maxInFlightPerConnection()) {
            if (!limiter.tryAcquire()) {
                waitForPermit();
                return;
            }
            start(waiting.poll());
        }
    }

    private void start(Pending pending) {
        inFlight++;
        Mono<List<Action>> actions;
        try {
            actions = handler.handle(pending.frame, this);
        }
        catch (RuntimeException ex) {
            actions = Mono.error(ex);
        }
        if (actions instanceof Fuseable.ScalarCallable<?> ready) {
            // Decided already (inline policies): answer without subscribing an operator chain.
            completed(pending, readyActions(ready));
            return;
        }
        actions.defaultIfEmpty(List.of())
                .onErrorResume(error -> {
                    log.warn("Connection {}: NOTIFY handler failed", id, error);
                    return Mono.just(handler.failureActions(error));
                })
                .subscribe(result -> completed(pending, result));
    }

    /** The value of a completed scalar, with the same empty and error handling as the reactive path. */
    @SuppressWarnings("unchecked")
    private List<Action> readyActions(Fuseable.ScalarCallable<?> ready) {
        try {
            List<Action> value = ((Fuseable.ScalarCallable<List<Action>>) ready).call();
            return value == null ? List.of() : value;
        }
        catch (Exception error) {
            log.warn("Connection {}: NOTIFY handler failed", id, error);
            return handler.failureActions(error);
        }
    }

    private void completed(Pending pending, List<Action> actions) {
        if (channel.eventLoop().inEventLoop()) {
            acknowledge(pending, actions);
        }
        else {
            channel.eventLoop().execute(() -> acknowledge(pending, actions));
        }
    }

    private void acknowledge(Pending pending, List<Action> actions) {
        inFlight--;
        limiter.release();
        boolean answer = state == SessionState.PROCESSING
                || (state == SessionState.CLOSING && pendingDisconnect != null);
        InboundFrame.Notify notify = pending.frame;
        try {
            if (answer) {
                // Encoded now: actions may still hold views into the payload released below.
                send(new OutboundFrame.Ack(notify.streamId(), notify.frameId(), fit(actions)));
                lastActivityNanos = System.nanoTime();
                observer.notifyAcknowledged(this, notify, lastActivityNanos - pending.receivedNanos);
            }
        }
        finally {
            notify.release();
        }
        if (state != SessionState.CLOSED) {
            // A per-connection slot is free again.
            startWaiting();
        }
        if (state == SessionState.PROCESSING) {
            resumeReadingIfBelowLimits();
            closeIfIdleAfterDeadline();
        }
        else if (pendingDisconnect != null && inFlight == 0 && waiting.isEmpty()) {
            OutboundFrame.AgentDisconnect frame = pendingDisconnect;
            pendingDisconnect = null;
            disconnect(frame);
        }
    }

    /**
     * Trims actions from the end until the ACK fits the negotiated frame size, and never sends an
     * empty list when a no-op action is configured.
     */
    private List<Action> fit(List<Action> actions) {
        Action noop = handler.noopAction();
        List<Action> result = actions.isEmpty() && noop != null ? List.of(noop) : actions;
        // Header, flags and two ids of at most ten bytes each.
        int budget = maxFrameSize - 4 - 1 - 4 - 20;
        if (SpopFrameEncoder.actionsSize(result) <= budget) {
            return result;
        }
        observer.ackTrimmed();
        List<Action> trimmed = new ArrayList<>(result);
        while (!trimmed.isEmpty() && SpopFrameEncoder.actionsSize(trimmed) > budget) {
            trimmed.remove(trimmed.size() - 1);
        }
        log.warn("Connection {}: ACK trimmed to {} of {} actions to fit max-frame-size {}", id, trimmed.size(),
                result.size(), maxFrameSize);
        return trimmed;
    }

    private void waitForPermit() {
        if (waitingForPermit) {
            return;
        }
        waitingForPermit = true;
        pauseReading();
        limiter.awaitPermit(wakeUp);
        // A permit released between the failed attempt and the registration would be missed:
        // taking and returning one wakes the first waiter, possibly this session.
        if (limiter.tryAcquire()) {
            limiter.release();
        }
    }

    /** Called by the limiter on the releasing thread. */
    private void permitMayBeAvailable() {
        channel.eventLoop().execute(() -> {
            waitingForPermit = false;
            if (state == SessionState.CLOSED) {
                dropWaiting();
            }
            else {
                startWaiting();
            }
            if (!waitingForPermit) {
                // This wake-up may have been meant for a permit this session no longer needs
                // (closed, disconnected, or its own slots full): hand it to the next waiter.
                if (limiter.tryAcquire()) {
                    limiter.release();
                }
                if (state == SessionState.PROCESSING) {
                    resumeReadingIfBelowLimits();
                }
            }
        });
    }

    /** Forgets NOTIFYs that will never start, giving their payloads back. */
    private void dropWaiting() {
        for (Pending pending; (pending = waiting.poll()) != null; ) {
            pending.frame.release();
        }
    }

    private void pauseReading() {
        if (!readPaused) {
            readPaused = true;
            channel.config().setAutoRead(false);
        }
    }

    private void resumeReadingIfBelowLimits() {
        if (readPaused && !waitingForPermit && inFlight + waiting.size() < settings.maxInFlightPerConnection()) {
            readPaused = false;
            channel.config().setAutoRead(true);
        }
    }

    // ---------------------------------------------------------------- disconnects

    private void onHaproxyDisconnect(InboundFrame.HaproxyDisconnect disconnect) {
        log.debug("Connection {}: HAProxy disconnects with status {} ({})", id, disconnect.statusCode(),
                PeerStrings.printable(disconnect.message()));
        observer.disconnectReceived(SpopStatus.fromCode(disconnect.statusCode()));
        // HAProxy ignores anything but our DISCONNECT from now on: pending ACKs are dropped.
        closeReason = CloseReason.HAPROXY_DISCONNECT;
        dropWaiting();
        disconnect(OutboundFrame.AgentDisconnect.of(SpopStatus.NORMAL));
    }

    /** Refuses a handshake: HAProxy learns the reason from the status. */
    private void refuse(SpopStatus status, String message) {
        long suppressed = peerLogs.errors.tryAcquire();
        if (suppressed >= 0) {
            log.warn("Connection {} from {}: handshake refused: {}{}", id, peer(), message, PeerLogs.more(suppressed));
        }
        else {
            log.debug("Connection {} from {}: handshake refused: {}", id, peer(), message);
        }
        closeReason = CloseReason.PROTOCOL_ERROR;
        disconnect(OutboundFrame.AgentDisconnect.of(status, message));
    }

    /**
     * A protocol violation: nothing more is read, NOTIFYs already received are still answered,
     * then AGENT-DISCONNECT carries the status.
     */
    void protocolError(SpopStatus status, String message) {
        if (state == SessionState.CLOSING || state == SessionState.CLOSED) {
            return;
        }
        long suppressed = peerLogs.errors.tryAcquire();
        if (suppressed >= 0) {
            log.warn("Connection {} from {}: protocol error, status {} ({}): {}{}", id, peer(), status.code(),
                    status.reason(), message, PeerLogs.more(suppressed));
        }
        else {
            log.debug("Connection {} from {}: protocol error, status {} ({}): {}", id, peer(), status.code(),
                    status.reason(), message);
        }
        closeReason = CloseReason.PROTOCOL_ERROR;
        state = SessionState.CLOSING;
        OutboundFrame.AgentDisconnect frame = OutboundFrame.AgentDisconnect.of(status, message);
        if (inFlight == 0 && waiting.isEmpty()) {
            disconnect(frame);
        }
        else {
            pendingDisconnect = frame;
        }
    }

    /**
     * Sends AGENT-DISCONNECT, shuts the write side and waits up to the linger time for HAProxy to
     * close, reading and discarding whatever still arrives, so the frame is not lost to a reset.
     */
    private void disconnect(OutboundFrame.AgentDisconnect frame) {
        state = SessionState.CLOSING;
        cancel(timer);
        cancel(idleCheck);
        cancel(idleCloseCheck);
        observer.disconnectSent(frame.statusCode() == 0 ? SpopStatus.NORMAL : SpopStatus.fromCode(frame.statusCode()));
        ByteBuf buffer = encoder.encode(frame, channel.alloc());
        framesOut++;
        observer.frameSent(FrameType.AGENT_DISCONNECT.id(), buffer.readableBytes());
        flushPending = false;
        channel.writeAndFlush(buffer).addListener((ChannelFutureListener) future -> {
            if (future.isSuccess() && channel instanceof DuplexChannel duplex && channel.isActive()) {
                shutdownOutput(duplex);
            }
        });
        readPaused = false;
        channel.config().setAutoRead(true);
        timer = schedule(settings.linger(), () -> closeNow(closeReason == null ? CloseReason.AGENT_DRAINED : closeReason));
    }

    /** Over TLS, close_notify goes first: a bare FIN reads as a truncated stream to HAProxy's TLS layer. */
    private void shutdownOutput(DuplexChannel duplex) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            duplex.shutdownOutput();
            return;
        }
        tls.closeOutbound().addListener(done -> {
            if (channel.isActive()) {
                duplex.shutdownOutput();
            }
        });
    }

    private void closeNow(CloseReason reason) {
        if (state != SessionState.CLOSED) {
            closeReason = closeReason == null ? reason : closeReason;
            channel.close();
        }
    }

    // ---------------------------------------------------------------- drain, called by the server

    /**
     * Closes the session if it is quiet: nothing in flight or waiting, no partial fragment, and no
     * frame received or sent for {@code quietNanos}. Safe to call from any thread.
     */
    void closeIfQuiet(long quietNanos) {
        onLoop(() -> {
            switch (state) {
                // A handshaking connection is left alone: HAProxy opened it because it has work
                // for it (a stopping 2.x worker cannot replace it), and the hello timeout bounds it.
                case HEALTHCHECK -> closeNow(CloseReason.HEALTHCHECK);
                case PROCESSING -> {
                    if (idle() && System.nanoTime() - lastActivityNanos >= quietNanos) {
                        disconnectAfterReadPass(CloseReason.AGENT_DRAINED);
                    }
                }
                default -> {
                }
            }
        });
    }

    /**
     * The drain deadline passed while this session was still open: disconnect gracefully at the
     * first moment it has nothing in flight and has been silent for {@code gapNanos} (short, so a
     * busy HAProxy 2.x connection still finds such a moment, yet never right after an ACK), instead
     * of cutting NOTIFYs that are being processed. NOTIFYs arriving meanwhile are still answered.
     * {@link #forceClose()} bounds it.
     */
    void closeWhenIdle(long gapNanos) {
        onLoop(() -> {
            switch (state) {
                case HANDSHAKING, HEALTHCHECK -> closeNow(CloseReason.DRAIN_DEADLINE);
                case PROCESSING -> {
                    closeWhenIdleNanos = gapNanos;
                    closeIfIdleAfterDeadline();
                }
                default -> {
                }
            }
        });
    }

    private void closeIfIdleAfterDeadline() {
        if (closeWhenIdleNanos < 0 || state != SessionState.PROCESSING) {
            return;
        }
        cancel(idleCloseCheck);
        idleCloseCheck = null;
        if (!idle()) {
            // The last ACK of this batch calls back here.
            return;
        }
        long silent = System.nanoTime() - lastActivityNanos;
        if (silent >= closeWhenIdleNanos) {
            disconnectAfterReadPass(CloseReason.DRAIN_DEADLINE);
        }
        else {
            idleCloseCheck = channel.eventLoop().schedule(this::closeIfIdleAfterDeadline,
                    closeWhenIdleNanos - silent, TimeUnit.NANOSECONDS);
        }
    }

    private boolean idle() {
        return inFlight == 0 && waiting.isEmpty() && !decoder.reassembling();
    }

    /**
     * Sends the drain's AGENT-DISCONNECT unless something arrives first. The decision that a
     * connection is idle is taken in a task, and a NOTIFY may already sit unread in the socket
     * then (HAProxy wrote it, this event loop has not polled since): it would be lost. So the
     * disconnect waits for one more poll of the socket; any frame read meanwhile cancels it and
     * the next check starts over.
     */
    private void disconnectAfterReadPass(CloseReason reason) {
        if (quietCloseCheck != null) {
            return;
        }
        long seen = lastActivityNanos;
        quietCloseCheck = channel.eventLoop().schedule(() -> {
            quietCloseCheck = null;
            if (state == SessionState.PROCESSING && lastActivityNanos == seen && idle()) {
                closeReason = reason;
                disconnect(new OutboundFrame.AgentDisconnect(SpopStatus.NORMAL.code(), "agent shutting down"));
            }
            else if (reason == CloseReason.DRAIN_DEADLINE) {
                closeIfIdleAfterDeadline();
            }
        }, READ_PASS_NANOS, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes whatever state the session is in; the drain deadline passed. Returns at once; the
     * NOTIFYs still in flight then are lost and were counted by the caller through
     * {@link #inFlight()}.
     */
    void forceClose() {
        onLoop(() -> {
            if (state == SessionState.CLOSED) {
                return;
            }
            if (closeReason == null || state == SessionState.PROCESSING) {
                closeReason = CloseReason.DRAIN_DEADLINE;
            }
            if (state == SessionState.PROCESSING) {
                if (inFlight > 0) {
                    log.warn("Connection {}: drain deadline reached with {} NOTIFY(s) in flight", id, inFlight);
                }
                ByteBuf buffer = encoder.encode(new OutboundFrame.AgentDisconnect(SpopStatus.NORMAL.code(),
                        "agent shutting down"), channel.alloc());
                channel.writeAndFlush(buffer).addListener(ChannelFutureListener.CLOSE);
                state = SessionState.CLOSING;
            }
            else {
                channel.close();
            }
        });
    }

    private void onLoop(Runnable task) {
        if (channel == null) {
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        }
        else {
            channel.eventLoop().execute(task);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private void send(OutboundFrame frame) {
        ByteBuf buffer = encoder.encode(frame, channel.alloc());
        framesOut++;
        observer.frameSent(typeOf(frame), buffer.readableBytes());
        if (inReadLoop && channel.eventLoop().inEventLoop()) {
            // Frames answered while reading leave together at the end of the read.
            channel.write(buffer);
            flushPending = true;
        }
        else {
            channel.writeAndFlush(buffer);
        }
    }

    private static int typeOf(OutboundFrame frame) {
        if (frame instanceof OutboundFrame.Ack) {
            return FrameType.ACK.id();
        }
        return frame instanceof OutboundFrame.AgentHello ? FrameType.AGENT_HELLO.id() : FrameType.AGENT_DISCONNECT.id();
    }

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    /**
     * Throttles for the log lines a peer causes (protocol errors, refused handshakes, closes with
     * NOTIFYs in flight), shared by the sessions of one server: at most one line per kind and
     * interval at WARN/INFO, with the count of those held back; the rest go to DEBUG.
     */
    static final class PeerLogs {
        final LogThrottle errors = new LogThrottle(java.time.Duration.ofSeconds(10));
        final LogThrottle closes = new LogThrottle(java.time.Duration.ofSeconds(10));

        static String more(long suppressed) {
            return suppressed > 0 ? " (" + suppressed + " similar not logged)" : "";
        }
    }

    /** A NOTIFY and when it was fully received. */
    private record Pending(InboundFrame.Notify frame, long receivedNanos) {
    }
}
