package io.spoepolicy.policy.scope;

import java.util.List;

import io.spoepolicy.policy.PolicyRequest;

/**
 * Picks the value of the most specific scope that matches a request, or the default when none
 * does. Ties go to the scope declared first. Immutable.
 *
 * @param <T> what a scope carries (rules, a limit, a mode …)
 */
public final class ScopeSelector<T> {

    private final T fallback;
    private final List<Scoped<T>> entries;

    public ScopeSelector(T fallback, List<Scoped<T>> entries) {
        this.fallback = fallback;
        this.entries = List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public T fallback() {
        return fallback;
    }

    public List<Scoped<T>> entries() {
        return entries;
    }

    public T select(PolicyRequest request) {
        return entries.isEmpty() ? fallback : select(RequestTarget.of(request)).value();
    }

    /** The winning entry, or an entry for the default with {@link Scope#EVERYWHERE}. */
    public Scoped<T> select(RequestTarget target) {
        Scoped<T> best = null;
        Scope.Specificity bestSpecificity = null;
        for (Scoped<T> entry : entries) {
            Scope.Specificity specificity = entry.scope().match(target);
            if (specificity != null && (bestSpecificity == null || specificity.compareTo(bestSpecificity) > 0)) {
                best = entry;
                bestSpecificity = specificity;
            }
        }
        return best != null ? best : new Scoped<>(Scope.EVERYWHERE, fallback);
    }

    /**
     * @param scope where the value applies
     * @param value what applies there
     */
    public record Scoped<T>(Scope scope, T value) {
    }
}
