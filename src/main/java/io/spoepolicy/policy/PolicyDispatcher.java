package io.spoepolicy.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.PeerStrings;
import io.spoepolicy.protocol.SpopMessage;

/**
 * Runs each message of a NOTIFY through the chain of policies registered for its name and turns
 * the outcome into ACK actions.
 *
 * <p>Policies run in chain order; a {@link Verdict#DENY} or {@link Verdict#BYPASS} stops the
 * chain, variables of every policy that ran are merged (later ones win on equal names). Inline
 * synchronous policies run on the calling event loop with no allocation of reactive machinery;
 * other synchronous policies run on the bounded policy scheduler. The whole chain shares one
 * deadline; when it passes, or a policy fails, the outcome carries an {@code agent_error} instead
 * of a decision. The returned {@link Mono} never fails.
 *
 * <p>Policies read the NOTIFY's payload in place (see {@link PolicyRequest}). The session holds
 * it until the returned Mono completes; inline policies run within that, and every policy run
 * off the event loop holds its own reference for as long as it runs, so a policy still running
 * after the deadline answered the NOTIFY never reads recycled bytes.
 */
public final class PolicyDispatcher {

    private static final Logger log = LoggerFactory.getLogger(PolicyDispatcher.class);

    /**
     * Request attribute with the chain's deadline as a {@link System#nanoTime()} value (a
     * {@link Long}), set before a policy runs on the scheduler. A policy that waited in the
     * scheduler's queue sees how much time is left: work that cannot finish by then is wasted,
     * because the deadline's answer has gone to HAProxy already. When the deadline passes while
     * a policy runs, its task is cancelled and its thread interrupted.
     */
    public static final String DEADLINE_NANOS = "spoe.deadline-nanos";

    private final Supplier<Map<String, List<SpoePolicy>>> chains;
    private final DecisionContract contract;
    private final Scheduler scheduler;
    private final Duration deadline;
    private final PolicyListener listener;

    public PolicyDispatcher(Map<String, List<SpoePolicy>> chains, DecisionContract contract,
            Scheduler scheduler, Duration deadline, PolicyListener listener) {
        Map<String, List<SpoePolicy>> fixed = copyOf(chains);
        this.chains = () -> fixed;
        this.contract = contract;
        this.scheduler = scheduler;
        this.deadline = deadline;
        this.listener = listener;
    }

    /**
     * A dispatcher whose chains can be replaced at runtime (policy configuration reload): each
     * NOTIFY reads the supplier once, so all its messages, and every policy of a chain, see the
     * same generation. The supplier must be cheap (a volatile read) and return immutable maps.
     */
    public PolicyDispatcher(Supplier<Map<String, List<SpoePolicy>>> chains, DecisionContract contract,
            Scheduler scheduler, Duration deadline, PolicyListener listener) {
        this.chains = Objects.requireNonNull(chains, "chains");
        this.contract = contract;
        this.scheduler = scheduler;
        this.deadline = deadline;
        this.listener = listener;
    }

    /** An immutable copy of chains by message name, suitable for the supplier constructor. */
    public static Map<String, List<SpoePolicy>> copyOf(Map<String, List<SpoePolicy>> chains) {
        Map<String, List<SpoePolicy>> copy = new LinkedHashMap<>();
        chains.forEach((message, policies) -> copy.put(message, List.copyOf(policies)));
        return Collections.unmodifiableMap(copy);
    }

    /** The current policy chains by message name, in evaluation order. */
    public Map<String, List<SpoePolicy>> chains() {
        return chains.get();
    }

    public DecisionContract contract() {
        return contract;
    }

    /** Decides every message of one NOTIFY; the actions are ready to go into its ACK. */
    public Mono<List<Action>> dispatch(List<SpopMessage> messages, String engineId) {
        return dispatch(messages, engineId, false);
    }

    /**
     * Decides every message of one NOTIFY; with {@code warmup} the messages are the agent's own
     * synthetic start-up traffic: see {@link PolicyRequest#warmup()}.
     */
    public Mono<List<Action>> dispatch(List<SpopMessage> messages, String engineId, boolean warmup) {
        Map<String, List<SpoePolicy>> chains = this.chains.get();
        if (messages.size() == 1) {
            SpopMessage message = messages.get(0);
            List<SpoePolicy> chain = chains.get(message.name());
            if (chain == null) {
                return Mono.just(unhandled(message));
            }
            Mono<Outcome> outcome = evaluate(chain, new PolicyRequest(message, engineId, warmup));
            Outcome ready = readyValue(outcome);
            if (ready != null) {
                return Mono.just(ready.actions(contract));
            }
            return outcome.map(result -> result.actions(contract));
        }
        return Flux.fromIterable(messages)
                .filter(message -> chains.containsKey(message.name()) || !unhandled(message).isEmpty())
                .concatMap(message -> evaluate(chains.get(message.name()), new PolicyRequest(message, engineId, warmup)))
                .collectList()
                .map(this::merge);
    }

    /** Runs one message through a chain; the result never errors. */
    public Mono<Outcome> evaluate(List<SpoePolicy> chain, PolicyRequest request) {
        long start = System.nanoTime();
        // Warm-up traffic is the agent's own: metrics and decision logs never see it.
        PolicyListener listener = request.warmup() ? PolicyListener.NONE : this.listener;
        Accumulator accumulator = new Accumulator(request, start, listener);
        Mono<Outcome> outcome;
        try {
            outcome = step(chain, 0, accumulator);
        }
        catch (RuntimeException ex) {
            outcome = Mono.error(ex);
        }
        Outcome ready = readyValue(outcome);
        if (ready != null) {
            // The whole chain ran inline and is decided: no deadline can pass any more, so the
            // timer, its scheduler hop and the operator chain would be pure overhead.
            listener.completed(request, ready, System.nanoTime() - start);
            return Mono.just(ready);
        }
        if (outcome instanceof Fuseable.ScalarCallable<?>) {
            // An inline policy threw: same answer as the error path below, without a timer.
            Outcome failed = accumulator.failure(errorOf(outcome));
            listener.completed(request, failed, System.nanoTime() - start);
            return Mono.just(failed);
        }
        return outcome
                .timeout(deadline)
                .onErrorResume(error -> Mono.just(accumulator.failure(error)))
                .doOnNext(result -> listener.completed(request, result, System.nanoTime() - start));
    }

    private Mono<Outcome> step(List<SpoePolicy> chain, int from, Accumulator accumulator) {
        for (int index = from; index < chain.size(); index++) {
            SpoePolicy policy = chain.get(index);
            if (accumulator.request.warmup() && !policy.warmsUp()) {
                continue;
            }
            accumulator.begin(policy);
            if (policy instanceof SyncSpoePolicy sync && sync.inline()) {
                if (accumulator.add(sync.decide(accumulator.request))) {
                    return Mono.just(accumulator.outcome());
                }
                continue;
            }
            int next = index + 1;
            PolicyRequest request = accumulator.request;
            request.attribute(DEADLINE_NANOS, accumulator.deadlineNanos);
            Mono<Decision> decision = policy instanceof SyncSpoePolicy sync
                    ? Mono.fromCallable(() -> decideRetained(sync, request)).subscribeOn(scheduler)
                    : Mono.defer(() -> evaluateRetained(policy, request));
            return decision
                    .defaultIfEmpty(Decision.allow())
                    .flatMap(result -> accumulator.add(result)
                            ? Mono.just(accumulator.outcome())
                            : step(chain, next, accumulator));
        }
        return Mono.just(accumulator.outcome());
    }

    /**
     * Runs a synchronous policy holding its own reference to the NOTIFY's payload, released when
     * {@code decide} returns, not when the deadline passes: a policy still running after the
     * NOTIFY was answered keeps reading valid bytes. Returns {@code null} (an empty result nobody
     * waits for) when the NOTIFY was already finished before the policy started.
     */
    private static Decision decideRetained(SyncSpoePolicy policy, PolicyRequest request) {
        if (!request.retainPayload()) {
            return null;
        }
        try {
            return policy.decide(request);
        }
        finally {
            request.releasePayload();
        }
    }

    /** Runs an asynchronous policy holding the payload until its Mono terminates or is cancelled. */
    private static Mono<Decision> evaluateRetained(SpoePolicy policy, PolicyRequest request) {
        if (!request.retainPayload()) {
            return Mono.empty();
        }
        Mono<Decision> decision;
        try {
            decision = policy.evaluate(request);
        }
        catch (RuntimeException ex) {
            request.releasePayload();
            throw ex;
        }
        if (decision == null) {
            request.releasePayload();
            return Mono.error(new NullPointerException("policy " + policy.name() + " returned a null Mono"));
        }
        return decision.doFinally(signal -> request.releasePayload());
    }

    /** The value of an already-completed scalar {@link Mono}, or {@code null} (also when it failed). */
    @SuppressWarnings("unchecked")
    private static <T> T readyValue(Mono<T> mono) {
        if (mono instanceof Fuseable.ScalarCallable<?> scalar) {
            try {
                return ((Fuseable.ScalarCallable<T>) scalar).call();
            }
            catch (Exception ex) {
                return null;
            }
        }
        return null;
    }

    private static Throwable errorOf(Mono<?> failed) {
        try {
            ((Fuseable.ScalarCallable<?>) failed).call();
            return new IllegalStateException("policy chain completed empty");
        }
        catch (Exception ex) {
            return ex;
        }
    }

    private List<Action> merge(List<Outcome> outcomes) {
        List<Action> actions = new ArrayList<>();
        Outcome deciding = null;
        for (Outcome outcome : outcomes) {
            if (deciding == null || rank(outcome) > rank(deciding)) {
                deciding = outcome;
            }
        }
        if (deciding == null) {
            return actions;
        }
        actions.addAll(deciding.actions(contract));
        for (Outcome outcome : outcomes) {
            if (outcome != deciding && !outcome.isError()) {
                outcome.decision().variables().forEach((name, value) ->
                        actions.add(Action.setVar(contract.scope(), name, value)));
            }
        }
        return actions;
    }

    /** Deny outranks an error, which outranks allow: a known deny is never weakened. */
    private static int rank(Outcome outcome) {
        if (outcome.isError()) {
            return 1;
        }
        return outcome.decision().denied() ? 2 : 0;
    }

    /** Logs a message no chain handles; always returns an empty list. */
    private List<Action> unhandled(SpopMessage message) {
        log.debug("No policy handles SPOE message '{}'", PeerStrings.printable(message.name()));
        return List.of();
    }

    /** Sequential state of one chain run; touched by one thread at a time, in order. */
    private final class Accumulator {
        final PolicyRequest request;
        final long deadlineNanos;
        /** Created by the first decision that carries variables; most carry none. */
        private Map<String, io.spoepolicy.protocol.TypedValue> variables;
        private String current;
        private long stepStart;
        private Decision deciding = Decision.allow();
        private String decidingPolicy;
        /** The reason of the last allow that gave one (detect-only, partial inspection …), or null. */
        private String allowReason;
        private final PolicyListener listener;

        Accumulator(PolicyRequest request, long start, PolicyListener listener) {
            this.request = request;
            this.stepStart = start;
            this.deadlineNanos = start + deadline.toNanos();
            this.listener = listener;
        }

        void begin(SpoePolicy policy) {
            current = policy.name();
            stepStart = System.nanoTime();
        }

        /** Records a decision; true when it ends the chain. */
        boolean add(Decision decision) {
            if (decision == null) {
                decision = Decision.allow();
            }
            listener.decided(request, current, decision, System.nanoTime() - stepStart);
            if (!decision.variables().isEmpty()) {
                if (variables == null) {
                    variables = new LinkedHashMap<>();
                }
                variables.putAll(decision.variables());
            }
            if (decision.verdict() != Verdict.ALLOW) {
                deciding = decision;
                decidingPolicy = current;
                return true;
            }
            if (!decision.reason().isEmpty()) {
                // An allow can still say why (WAF detect-only, partial inspection): HAProxy gets
                // that reason when the chain ends in allow; later reasons win, as variables do.
                allowReason = decision.reason();
            }
            return false;
        }

        Outcome outcome() {
            String reason = deciding.verdict() == Verdict.ALLOW && allowReason != null ? allowReason
                    : deciding.reason();
            if (variables == null && reason.equals(deciding.reason())) {
                // No policy set variables or an allow reason: the deciding decision is the merged one.
                return Outcome.decided(deciding, decidingPolicy);
            }
            Decision merged = new Decision(deciding.verdict(), deciding.status(), reason,
                    variables == null ? Map.of() : variables);
            return Outcome.decided(merged, decidingPolicy);
        }

        Outcome failure(Throwable error) {
            String kind;
            if (error instanceof TimeoutException) {
                kind = "timeout";
            }
            else if (error instanceof RejectedExecutionException) {
                kind = "overloaded";
            }
            else {
                kind = "policy-error";
            }
            if (kind.equals("policy-error") && !request.warmup()) {
                log.warn("Policy '{}' failed on message '{}'", current, request.messageName(), error);
            }
            else {
                log.debug("Policy '{}' gave no decision on message '{}': {}", current, request.messageName(), kind);
            }
            listener.failed(request, current, kind, error);
            return Outcome.failed(kind, current);
        }
    }
}
