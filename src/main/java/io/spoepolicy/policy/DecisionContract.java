package io.spoepolicy.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.protocol.VarScope;

/**
 * The variables the agent sets in HAProxy, named once. With HAProxy's {@code option var-prefix
 * policy} and the default {@code txn} scope they read as {@code txn.policy.action} and so on;
 * {@code docs/policies.md} lists the HAProxy rules that act on them and the
 * {@code register-var-names} line.
 *
 * <p>HAProxy 3.x (and 2.x with strict settings) drops every variable not listed in the agent's
 * {@code register-var-names}, silently. {@link #variableNames()} is the one list of every name the
 * agent and its built-in policies can set; the shipped HAProxy files, the Helm chart and the docs
 * are tested against it, and the Actuator {@code spoe} endpoint shows the line for the running
 * configuration ({@code registerVarNames}).
 *
 * @param scope the HAProxy scope every decision variable is set in
 */
public record DecisionContract(VarScope scope) {

    /** {@code allow} or {@code deny}: always set when the policies reached a decision. */
    public static final String ACTION = "action";
    /** HTTP status to deny with (403, 401, 429 …); set with {@code deny}. */
    public static final String STATUS = "status";
    /**
     * Short machine-readable reason, e.g. {@code ip-denied}: the deciding policy's on a deny or
     * bypass; on an allow, the last reason an allowing policy gave (e.g. {@code waf-detect-only}),
     * unset when none did.
     */
    public static final String REASON = "reason";
    /** Name of the policy that decided (or failed). */
    public static final String POLICY = "policy";
    /**
     * Set instead of {@code action} when no decision could be made: {@code timeout} (the policy
     * deadline passed), {@code policy-error} (a policy failed), {@code overloaded} (the policy
     * scheduler's queue was full). HAProxy's fail-open or fail-closed rule acts on it.
     */
    public static final String AGENT_ERROR = "agent_error";

    // Detect-only reporting: a policy in detect-only mode never denies; when it would have, the
    // decision stays "allow" and these say what would have happened.

    /** Name of the detect-only policy that would have denied (the last one, when several would). */
    public static final String DETECT_POLICY = "detect_policy";
    /** The reason it would have denied with. */
    public static final String DETECT_REASON = "detect_reason";
    /** The status it would have denied with. */
    public static final String DETECT_STATUS = "detect_status";

    // Per-family variables.

    /** Authenticated identity: the JWT subject or the API key's id. */
    public static final String USER = "user";
    /** Space-separated scopes of the authenticated identity. */
    public static final String SCOPES = "scopes";
    /** Ready-made {@code WWW-Authenticate} value for a 401 (or a 403 for missing scopes). */
    public static final String WWW_AUTHENTICATE = "www_authenticate";
    /** Requests the rate limit allows at once (the bucket's capacity). */
    public static final String RATELIMIT_LIMIT = "ratelimit_limit";
    /** Requests left right now. */
    public static final String RATELIMIT_REMAINING = "ratelimit_remaining";
    /** Seconds until the bucket is full again. */
    public static final String RATELIMIT_RESET = "ratelimit_reset";
    /** Seconds until the next request will be allowed; set with a 429. */
    public static final String RATELIMIT_RETRY_AFTER = "ratelimit_retry_after";
    /** {@code RateLimit-Policy} value, e.g. {@code 100;w=60}. */
    public static final String RATELIMIT_POLICY = "ratelimit_policy";
    /**
     * Set when the shared (Redis) store could not decide and the configured fallback did:
     * {@code fail-open}, {@code fail-closed} or {@code local}.
     */
    public static final String RATELIMIT_FALLBACK = "ratelimit_fallback";

    /** The WAF's inbound anomaly score; set when it is above 0 or a rule matched. */
    public static final String WAF_SCORE = "waf_score";
    /**
     * Space-separated ids of the WAF rules that matched; also the default of
     * {@code spoe.observability.metrics.rule-ids-variable}.
     */
    public static final String WAF_RULES = "waf_rules";
    /** The WAF's short message; set only with {@code spoe.policies.waf.export-message}. */
    public static final String WAF_MESSAGE = "waf_message";

    /**
     * Every name above except {@link #NOOP}, in the order of the shipped {@code register-var-names}
     * line: the verdict, detect-only reporting, then the families. Names that are configurable
     * ({@code rule-ids-variable}) appear with their default.
     */
    private static final List<String> VARIABLE_NAMES = List.of(ACTION, STATUS, REASON, POLICY, AGENT_ERROR,
            DETECT_POLICY, DETECT_REASON, DETECT_STATUS,
            USER, SCOPES, WWW_AUTHENTICATE,
            RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET, RATELIMIT_RETRY_AFTER, RATELIMIT_POLICY,
            RATELIMIT_FALLBACK,
            WAF_SCORE, WAF_RULES, WAF_MESSAGE);

    /**
     * A variable HAProxy never registers: unsetting it is a harmless action, used so that no ACK
     * is ever empty (early 3.1.x releases stalled on empty ACKs until the processing timeout).
     */
    public static final String NOOP = "noop";

    public DecisionContract {
        java.util.Objects.requireNonNull(scope, "scope");
    }

    /**
     * Every variable the agent and its built-in policies can set, whatever is enabled, with
     * configurable names at their defaults: what HAProxy's {@code register-var-names} must list.
     * {@link #NOOP} is deliberately absent (it must stay unregistered).
     */
    public static List<String> variableNames() {
        return VARIABLE_NAMES;
    }

    /**
     * {@link #variableNames()} followed by further names (configured claim variables, custom
     * policies' {@link SpoePolicy#variables()}, a custom {@code rule-ids-variable}) that are not in
     * it yet, in the order given, without duplicates.
     */
    public static List<String> variableNames(Collection<String> more) {
        Set<String> names = new LinkedHashSet<>(VARIABLE_NAMES);
        names.addAll(more);
        names.remove(NOOP);
        return List.copyOf(names);
    }

    /** The value of HAProxy's {@code register-var-names} for these names, ready to paste. */
    public static String registerVarNames(Collection<String> names) {
        return String.join(" ", names);
    }

    /** The ACK actions for a decision: the verdict, then the policies' own variables. */
    public List<Action> actions(Decision decision, String decidingPolicy) {
        Action verdict = VerdictActions.of(scope, decision.verdict());
        if (!decision.denied() && decision.reason().isEmpty() && decidingPolicy == null
                && decision.variables().isEmpty()) {
            // The common answer (allow, nothing else): one shared, immutable action.
            return List.of(verdict);
        }
        List<Action> actions = new ArrayList<>(4 + decision.variables().size());
        actions.add(verdict);
        if (decision.denied()) {
            actions.add(Action.setVar(scope, STATUS, TypedValue.of(decision.status())));
        }
        if (!decision.reason().isEmpty()) {
            actions.add(Action.setVar(scope, REASON, TypedValue.of(decision.reason())));
        }
        if (decidingPolicy != null) {
            actions.add(Action.setVar(scope, POLICY, TypedValue.of(decidingPolicy)));
        }
        for (Map.Entry<String, TypedValue> variable : decision.variables().entrySet()) {
            actions.add(Action.setVar(scope, variable.getKey(), variable.getValue()));
        }
        return actions;
    }

    /** The ACK actions when no decision was reached; no {@code action} variable is set. */
    public List<Action> errorActions(String error, String failingPolicy) {
        List<Action> actions = new ArrayList<>(2);
        actions.add(Action.setVar(scope, AGENT_ERROR, TypedValue.of(error)));
        if (failingPolicy != null) {
            actions.add(Action.setVar(scope, POLICY, TypedValue.of(failingPolicy)));
        }
        return actions;
    }

    public Action noop() {
        return Action.unsetVar(scope, NOOP);
    }

    /** The {@code action} SET-VAR of each verdict in each scope, built once: they are immutable. */
    private static final class VerdictActions {
        private static final Map<VarScope, Map<Verdict, Action>> ACTIONS = build();

        private static Map<VarScope, Map<Verdict, Action>> build() {
            Map<VarScope, Map<Verdict, Action>> all = new java.util.EnumMap<>(VarScope.class);
            for (VarScope scope : VarScope.values()) {
                Map<Verdict, Action> byVerdict = new java.util.EnumMap<>(Verdict.class);
                for (Verdict verdict : Verdict.values()) {
                    byVerdict.put(verdict, Action.setVar(scope, ACTION, TypedValue.of(verdict.action())));
                }
                all.put(scope, java.util.Collections.unmodifiableMap(byVerdict));
            }
            return java.util.Collections.unmodifiableMap(all);
        }

        static Action of(VarScope scope, Verdict verdict) {
            return ACTIONS.get(scope).get(verdict);
        }
    }
}
