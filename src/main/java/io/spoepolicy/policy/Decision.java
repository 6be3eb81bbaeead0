package io.spoepolicy.policy;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.spoepolicy.protocol.TypedValue;

/**
 * A policy's answer for one message: a verdict, the HTTP status HAProxy should deny with, a short
 * machine-readable reason, and extra variables (e.g. {@code user}, {@code ratelimit_remaining})
 * that the dispatcher sends back as SET-VAR actions. Immutable; the {@code with...} methods return
 * copies.
 *
 * @param verdict what to do with the request
 * @param status HTTP status for a deny (403, 401, 429 …), 0 when not applicable
 * @param reason short token such as {@code ip-denied}; empty when none
 * @param variables extra decision variables by name, in insertion order
 */
public record Decision(Verdict verdict, int status, String reason, Map<String, TypedValue> variables) {

    private static final Decision ALLOW = new Decision(Verdict.ALLOW, 0, "", Map.of());

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        // Most decisions carry no variables: share the empty map instead of copying it.
        variables = variables.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** No objection. */
    public static Decision allow() {
        return ALLOW;
    }

    /** Allow and skip the remaining policies. */
    public static Decision bypass(String reason) {
        return new Decision(Verdict.BYPASS, 0, reason, Map.of());
    }

    /** Deny with HTTP 403. */
    public static Decision deny(String reason) {
        return deny(403, reason);
    }

    public static Decision deny(int status, String reason) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        return new Decision(Verdict.DENY, status, reason, Map.of());
    }

    public boolean denied() {
        return verdict == Verdict.DENY;
    }

    public Decision withVariable(String name, TypedValue value) {
        Map<String, TypedValue> copy = new LinkedHashMap<>(variables);
        copy.put(name, value);
        return new Decision(verdict, status, reason, copy);
    }

    public Decision withVariable(String name, String value) {
        return withVariable(name, TypedValue.of(value));
    }

    public Decision withVariable(String name, long value) {
        return withVariable(name, TypedValue.of(value));
    }

    public Decision withVariable(String name, boolean value) {
        return withVariable(name, TypedValue.of(value));
    }

    public Decision withVariable(String name, InetAddress value) {
        return withVariable(name, TypedValue.of(value));
    }

    public Decision withReason(String newReason) {
        return new Decision(verdict, status, newReason, variables);
    }
}
