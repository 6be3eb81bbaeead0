package io.spoepolicy.policy;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.TypedValue;

/**
 * A typed, read-only view of one SPOE message handed to policies: generic accessors by argument
 * name, and shortcuts for the default {@link CheckRequest} arguments. Safe to share between the
 * policies of a chain, on any thread.
 *
 * <p><b>Lifetime.</b> The request reads its arguments from the NOTIFY's payload buffer, which
 * the connection recycles once the NOTIFY is finished (answered or its connection closed) and no
 * evaluation of it is still running; the dispatcher keeps the buffer alive for as long as a
 * policy's {@code decide} runs, even past the deadline, and for an asynchronous policy until its
 * {@link reactor.core.publisher.Mono} terminates or is cancelled. Everything these accessors
 * return is a copy ({@link String}, {@code byte[]}, {@link RequestHeaders}, numbers,
 * addresses) and may be kept for ever; only the raw {@link TypedValue}s of {@link #value} and
 * {@link #message()} are views, valid during the evaluation: copy them
 * ({@code asString()}, {@code bytes()}, {@code copy()}) to keep them. A late read of a view, or
 * of this request after its evaluation, throws
 * {@link io.netty.util.IllegalReferenceCountException}; it never sees another request's data.
 * Attributes are plain objects and are not affected.
 */
public final class PolicyRequest {

    private final SpopMessage message;
    private final String engineId;
    private final boolean warmup;

    /** Parsed on first use; racing threads compute the same immutable value. */
    private volatile RequestHeaders headers;

    /** Created on first write: most requests never carry attributes. */
    private volatile Map<String, Object> attributes;

    public PolicyRequest(SpopMessage message, String engineId) {
        this(message, engineId, false);
    }

    /**
     * @param warmup a synthetic request of the start-up warm-up rather than one from HAProxy
     */
    public PolicyRequest(SpopMessage message, String engineId, boolean warmup) {
        this.message = Objects.requireNonNull(message, "message");
        this.engineId = engineId;
        this.warmup = warmup;
    }

    /**
     * True for the synthetic requests the agent sends itself at start-up, before it reports ready,
     * to warm up the request path ({@code spoe.server.warmup.*}). Only policies that
     * {@link SpoePolicy#warmsUp()} see them; those with side effects skip them here (the rate limit
     * consumes no bucket), and no listener (metrics, decision log) is told about them.
     */
    public boolean warmup() {
        return warmup;
    }

    /** Keeps the payload readable while an evaluation runs off the event loop; false when too late. */
    boolean retainPayload() {
        return message.retain();
    }

    void releasePayload() {
        message.release();
    }

    /** The SPOE message name, e.g. {@code check-request}. */
    public String messageName() {
        return message.name();
    }

    public SpopMessage message() {
        return message;
    }

    /** The engine-id of the HAProxy process (or thread, on 2.x) that sent the message; may be null. */
    public String engineId() {
        return engineId;
    }

    public boolean has(String argument) {
        return message.argument(argument) != null;
    }

    /** The raw typed value of an argument, or {@code null} when absent. */
    public TypedValue value(String argument) {
        return message.argument(argument);
    }

    /**
     * An argument as text: STRING and BINARY decoded as UTF-8, integers, booleans and addresses in
     * their usual text form; {@code null} when absent or NULL.
     */
    public String string(String argument) {
        TypedValue value = message.argument(argument);
        if (value instanceof TypedValue.StringValue s) {
            return s.asString();
        }
        if (value instanceof TypedValue.BinaryValue b) {
            return b.asString();
        }
        if (value instanceof TypedValue.IntValue i) {
            return Long.toString(i.value());
        }
        if (value instanceof TypedValue.BoolValue b) {
            return Boolean.toString(b.value());
        }
        if (value instanceof TypedValue.IpValue ip) {
            return ip.address().getHostAddress();
        }
        return null;
    }

    /** The bytes of a STRING or BINARY argument (a copy), or {@code null}. */
    public byte[] bytes(String argument) {
        TypedValue value = message.argument(argument);
        if (value instanceof TypedValue.StringValue s) {
            return s.bytes();
        }
        if (value instanceof TypedValue.BinaryValue b) {
            return b.bytes();
        }
        return null;
    }

    /** An integer argument of any integer type. */
    public OptionalLong integer(String argument) {
        return message.argument(argument) instanceof TypedValue.IntValue i
                ? OptionalLong.of(i.value()) : OptionalLong.empty();
    }

    /** A boolean argument; absent or non-boolean reads as false. */
    public boolean bool(String argument) {
        return message.argument(argument) instanceof TypedValue.BoolValue b && b.value();
    }

    /**
     * An address argument: an IPV4/IPV6 value, or a STRING holding a literal address (never
     * resolved through DNS). {@code null} when absent or not an address.
     */
    public InetAddress address(String argument) {
        TypedValue value = message.argument(argument);
        if (value instanceof TypedValue.IpValue ip) {
            return ip.address();
        }
        if (value instanceof TypedValue.StringValue s) {
            return Addresses.parseLiteral(s.asString());
        }
        return null;
    }

    /** Headers decoded from a BINARY argument in {@code req.hdrs_bin} layout; empty when absent. */
    public RequestHeaders headers(String argument) {
        TypedValue value = message.argument(argument);
        if (value instanceof TypedValue.BinaryValue b) {
            return b.read(RequestHeaders::parse);
        }
        if (value instanceof TypedValue.StringValue s) {
            return s.read(RequestHeaders::parse);
        }
        return RequestHeaders.empty();
    }

    // Shortcuts for the default check-request message.

    /** The client address ({@code ip} argument), or {@code null}. */
    public InetAddress clientIp() {
        return address(CheckRequest.IP);
    }

    public String method() {
        return string(CheckRequest.METHOD);
    }

    /** The raw path as HAProxy saw it (still percent-encoded). */
    public String path() {
        return string(CheckRequest.PATH);
    }

    /** The raw query string without '?', or {@code null} when the request had none. */
    public String query() {
        return string(CheckRequest.QUERY);
    }

    /** The request headers ({@code headers} argument), parsed once and cached. */
    public RequestHeaders headers() {
        RequestHeaders parsed = headers;
        if (parsed == null) {
            parsed = headers(CheckRequest.HEADERS);
            headers = parsed;
        }
        return parsed;
    }

    /** The buffered request body ({@code body} argument), or an empty array. */
    public byte[] body() {
        byte[] body = bytes(CheckRequest.BODY);
        return body == null ? new byte[0] : body;
    }

    /**
     * A value an earlier policy of the chain attached to this request (e.g. the authenticated
     * principal a rate limit keys on), or {@code null}. Attributes live as long as the request
     * and are never sent to HAProxy.
     */
    public Object attribute(String name) {
        Map<String, Object> current = attributes;
        return current == null ? null : current.get(name);
    }

    /** A typed attribute, or {@code null} when absent or of another type. */
    public <T> T attribute(String name, Class<T> type) {
        Object value = attribute(name);
        return type.isInstance(value) ? type.cast(value) : null;
    }

    /**
     * Attaches a value for the policies that run after this one. Policies of one chain run one
     * after the other, so a value set here is visible to every later policy.
     */
    public void attribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, Object> current = attributes;
        if (current == null) {
            synchronized (this) {
                current = attributes;
                if (current == null) {
                    current = new ConcurrentHashMap<>(4);
                    attributes = current;
                }
            }
        }
        current.put(name, value);
    }

    @Override
    public String toString() {
        return "PolicyRequest[" + message.name() + ", " + message.argumentCount() + " args]";
    }

    /** Literal address parsing without any name lookup. */
    static final class Addresses {
        private Addresses() {
        }

        static InetAddress parseLiteral(String text) {
            var parsed = new inet.ipaddr.IPAddressString(text.trim()).getAddress();
            if (parsed == null || parsed.isPrefixed()) {
                return null;
            }
            return parsed.toInetAddress();
        }
    }
}
