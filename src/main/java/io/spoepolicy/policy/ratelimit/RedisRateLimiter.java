package io.spoepolicy.policy.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Limits shared by every replica: the GCRA Lua script runs in Redis on a single key, so each
 * decision is one {@code EVALSHA} round trip and atomic however many replicas ask at once (and
 * works on Redis Cluster). Lettuce's reactive API never blocks the caller. While Redis is away,
 * commands fail at once (they are not queued), and the connection comes back by itself; after a
 * Redis restart the script is sent again ({@code NOSCRIPT}).
 */
public final class RedisRateLimiter implements RateLimiterStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    static final String SCRIPT = loadScript();
    static final String SHA = sha1(SCRIPT);

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicReference<Mono<StatefulRedisConnection<String, String>>> connecting = new AtomicReference<>();
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisRateLimiter(String uri, Duration commandTimeout, Duration connectTimeout, Duration reconnectMaxDelay) {
        this.uri = RedisURI.create(uri);
        this.uri.setTimeout(commandTimeout);
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), reconnectMaxDelay, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, this.uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected: a queued command would only add latency to a
                // decision that the fallback must take now.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .build());
    }

    @Override
    public Mono<RateLimitResult> consume(String key, RateLimit limit) {
        String[] keys = {key};
        String interval = Long.toString(Math.max(1, limit.intervalNanos() / 1000));
        String burst = Long.toString(limit.capacity());
        // The async API: one future per command, completed by the connection's event loop.
        return connection().flatMap(redis -> Mono.fromCompletionStage(
                        () -> redis.async().<List<Object>>evalsha(SHA, ScriptOutputType.MULTI, keys, interval, burst))
                .onErrorResume(RedisNoScriptException.class, missing -> Mono.fromCompletionStage(
                        () -> redis.async().<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, interval, burst)))
                .map(reply -> result(reply, limit)));
    }

    private static RateLimitResult result(List<?> reply, RateLimit limit) {
        if (reply.size() != 4) {
            throw new IllegalStateException("unexpected rate-limit script reply " + reply);
        }
        return new RateLimitResult(number(reply.get(0)) == 1, limit.capacity(), number(reply.get(1)),
                number(reply.get(2)) * 1000, number(reply.get(3)) * 1000);
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(value));
    }

    /** The connection, opened on first use without blocking; reopened if the first attempt failed. */
    private Mono<StatefulRedisConnection<String, String>> connection() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            return Mono.just(open);
        }
        Sinks.One<StatefulRedisConnection<String, String>> sink = Sinks.one();
        Mono<StatefulRedisConnection<String, String>> shared = sink.asMono();
        Mono<StatefulRedisConnection<String, String>> existing = connecting.compareAndExchange(null, shared);
        if (existing != null) {
            return existing;
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((opened, error) -> {
            if (error == null) {
                connection = opened;
                log.info("Rate limiter connected to Redis at {}:{}", uri.getHost(), uri.getPort());
            }
            connecting.set(null);
            if (error != null) {
                sink.tryEmitError(error);
            }
            else {
                sink.tryEmitValue(opened);
            }
        });
        return shared;
    }

    /** Opens the connection in the background so that the first decisions do not wait for it. */
    public void connectInBackground() {
        connection().subscribe(ignored -> { }, error -> log.warn("Rate limiter cannot reach Redis at {}:{} yet: {}",
                uri.getHost(), uri.getPort(), error.toString()));
    }

    /** Whether the connection is open now. */
    public boolean connected() {
        StatefulRedisConnection<String, String> open = connection;
        return open != null && open.isOpen();
    }

    public String uri() {
        return uri.toString();
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.closeAsync();
        }
        client.shutdownAsync(0, 2, TimeUnit.SECONDS).whenComplete((ignored, error) -> resources.shutdown(0, 2,
                TimeUnit.SECONDS));
    }

    private static String loadScript() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("gcra.lua")) {
            if (in == null) {
                throw new IllegalStateException("gcra.lua missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot read gcra.lua", ex);
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
