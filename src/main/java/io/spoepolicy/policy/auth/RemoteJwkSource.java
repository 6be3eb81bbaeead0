package io.spoepolicy.policy.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.spoepolicy.policy.resilience.Guard;

/**
 * The identity provider's JWKS endpoint, fetched with a non-blocking client and cached.
 *
 * <ul>
 * <li>A token whose key is cached is verified at once; keys older than the refresh interval are
 * refreshed in the background while still in use.</li>
 * <li>A token with an unknown {@code kid} triggers a refresh (key rotation), at most one per
 * minimum refresh interval; concurrent requests share one fetch.</li>
 * <li>When the endpoint is unreachable (error, time limit, open circuit), cached keys stay in use
 * for as long as it is down; only tokens whose key is not cached get
 * {@link JwksUnavailableException}.</li>
 * </ul>
 * A fetch runs to completion (within its own time limit) even if the request that triggered it
 * stops waiting, so a slow first connection to the provider still fills the cache.
 */
final class RemoteJwkSource implements JwkSource {

    private static final Logger log = LoggerFactory.getLogger(RemoteJwkSource.class);

    private final URI uri;
    /** What logs and errors show: the URI may carry credentials (user-info) or a token in its query. */
    private final String shownUri;
    private final WebClient client;
    private final Guard guard;
    private final long refreshNanos;
    private final long minRefreshNanos;
    private final Duration wait;
    private final LongSupplier nanoTime;

    private volatile Snapshot snapshot;
    private volatile long lastAttempt;
    private volatile boolean attempted;
    private volatile boolean lastFailed;
    private final AtomicReference<Mono<Snapshot>> inflight = new AtomicReference<>();
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Adders, not atomics: every event loop verifying a new token counts here. */
    private final LongAdder keyHits = new LongAdder();
    private final LongAdder keyMisses = new LongAdder();

    record Snapshot(List<VerificationKey> keys, long fetchedAt) {
    }

    RemoteJwkSource(URI uri, WebClient client, Guard guard, Duration refreshInterval, Duration minRefreshInterval,
            Duration wait, LongSupplier nanoTime) {
        this.uri = uri;
        this.shownUri = redacted(uri);
        this.client = client;
        this.guard = guard;
        this.refreshNanos = refreshInterval.toNanos();
        this.minRefreshNanos = minRefreshInterval.toNanos();
        this.wait = wait;
        this.nanoTime = nanoTime;
    }

    /** Starts the first fetch in the background, so the first requests find the keys cached. */
    void prefetch() {
        refresh().subscribe(ignored -> { }, ignored -> { });
    }

    @Override
    public Mono<List<VerificationKey>> keys(JWSHeader header) {
        Snapshot current = snapshot;
        long now = nanoTime.getAsLong();
        if (current != null) {
            refreshIfStale(current, now);
            List<VerificationKey> selected = VerificationKey.select(current.keys(), header);
            if (!selected.isEmpty()) {
                keyHits.increment();
                return Mono.just(selected);
            }
        }
        keyMisses.increment();
        Mono<Snapshot> running = inflight.get();
        if (running == null && attempted && now - lastAttempt < minRefreshNanos) {
            // A refresh was just made: the key is unknown (or the provider is down), do not ask again.
            return lastFailed ? Mono.error(new JwksUnavailableException("JWKS unavailable at " + shownUri, null))
                    : Mono.just(List.of());
        }
        // Waiting gives up before the chain deadline; the fetch itself goes on and fills the cache.
        return (running != null ? running : refresh())
                .timeout(wait)
                .map(fresh -> VerificationKey.select(fresh.keys(), header))
                .onErrorMap(error -> !(error instanceof JwksUnavailableException),
                        error -> new JwksUnavailableException("JWKS unavailable at " + shownUri + ": " + scrub(error), error));
    }

    /**
     * The key set cached now, or {@code null} before the first fetch; starts a background refresh
     * when it is older than the refresh interval, as {@link #keys} does. Cache hits of verified
     * tokens call this instead of {@link #keys}, so a key the provider dropped is still noticed.
     */
    Snapshot current() {
        Snapshot current = snapshot;
        if (current != null) {
            refreshIfStale(current, nanoTime.getAsLong());
        }
        return current;
    }

    private void refreshIfStale(Snapshot current, long now) {
        if (now - current.fetchedAt() > refreshNanos && inflight.get() == null) {
            refresh().subscribe(ignored -> { }, ignored -> { });
        }
    }

    /** One shared fetch; callers that arrive while it runs get the same result. */
    Mono<Snapshot> refresh() {
        Sinks.One<Snapshot> sink = Sinks.one();
        Mono<Snapshot> shared = sink.asMono();
        Mono<Snapshot> existing = inflight.compareAndExchange(null, shared);
        if (existing != null) {
            return existing;
        }
        lastAttempt = nanoTime.getAsLong();
        attempted = true;
        fetches.incrementAndGet();
        guard.protect(client.get().uri(uri).accept(MediaType.APPLICATION_JSON).retrieve().bodyToMono(String.class))
                .map(body -> parse(body))
                .subscribe(fresh -> {
                    snapshot = fresh;
                    lastFailed = false;
                    inflight.set(null);
                    log.debug("Fetched {} key(s) from {}", fresh.keys().size(), shownUri);
                    sink.tryEmitValue(fresh);
                }, error -> {
                    lastFailed = true;
                    failures.incrementAndGet();
                    inflight.set(null);
                    log.warn("Cannot fetch JWKS from {} ({}cached keys stay in use): {}", shownUri,
                            snapshot == null ? "no " : "", scrub(error));
                    sink.tryEmitError(error);
                });
        return shared;
    }

    private Snapshot parse(String body) {
        try {
            return new Snapshot(VerificationKey.of(JWKSet.parse(body), false), nanoTime.getAsLong());
        }
        catch (Exception ex) {
            throw new IllegalStateException("invalid JWK set from " + shownUri + ": " + ex.getMessage(), ex);
        }
    }

    /** Client exceptions quote the request URI ("500 from GET http://user:secret@host/..."). */
    private String scrub(Throwable error) {
        return error.toString().replace(uri.toString(), shownUri);
    }

    static String redacted(URI uri) {
        StringBuilder shown = new StringBuilder();
        if (uri.getScheme() != null) {
            shown.append(uri.getScheme()).append("://");
        }
        if (uri.getRawUserInfo() != null) {
            shown.append("***@");
        }
        if (uri.getHost() != null) {
            shown.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            shown.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            shown.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            shown.append("?***");
        }
        return shown.toString();
    }

    URI uri() {
        return uri;
    }

    /** Keys cached now. */
    int cachedKeys() {
        Snapshot current = snapshot;
        return current == null ? 0 : current.keys().size();
    }

    /** Whether the last fetch failed (false before the first one completed). */
    boolean lastFetchFailed() {
        return lastFailed;
    }

    /** Fetches started so far. */
    long fetches() {
        return fetches.get();
    }

    long failures() {
        return failures.get();
    }

    /** Lookups that found the token's key cached. */
    long keyHits() {
        return keyHits.sum();
    }

    /** Lookups that did not (before any fetch, or an unknown {@code kid}), whether or not a fetch then found it. */
    long keyMisses() {
        return keyMisses.sum();
    }
}
