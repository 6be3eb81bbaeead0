package io.spoepolicy.policy.settings;

import java.util.ArrayList;
import java.util.List;

import io.spoepolicy.policy.scope.Scope;
import io.spoepolicy.policy.scope.ScopeSelector;

/**
 * Turns the {@code scopes} list of a built-in policy's properties into a {@link ScopeSelector}.
 * Every entry is bound the same way: its hosts and paths become a {@link Scope}, a malformed one
 * fails naming the entry ({@code <prefix>.scopes[i]}), and the policy builds what applies there.
 * It lives here rather than in {@code policy.scope}, which knows nothing of configuration.
 */
public final class ScopeBinding {

    private ScopeBinding() {
    }

    /** Where a configured scope entry applies: the part every policy's {@code Scope} record shares. */
    public interface Entry {

        /** Host patterns, {@code null} or empty for every host. */
        List<String> hosts();

        /** Path prefixes, {@code null} or empty for every path. */
        List<String> paths();
    }

    /** Builds what applies in one scope entry. */
    @FunctionalInterface
    public interface Rules<E, T> {

        /**
         * @param prefix the entry's property, {@code <policy prefix>.scopes[index]}, for messages
         * @param where the entry's hosts and paths, already parsed
         * @throws PolicyConfigurationException naming the property at fault
         */
        T build(String prefix, int index, E entry, Scope where);
    }

    /**
     * @param prefix the policy's property prefix, such as {@code spoe.policies.jwt}
     * @param fallback what applies where no entry matches
     * @throws PolicyConfigurationException naming the entry with a bad host or path, or what
     *         {@code rules} names
     */
    public static <E extends Entry, T> ScopeSelector<T> select(String prefix, T fallback, List<E> entries,
            Rules<? super E, ? extends T> rules) {
        List<ScopeSelector.Scoped<T>> scoped = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            E entry = entries.get(i);
            String entryPrefix = prefix + ".scopes[" + i + "]";
            Scope where;
            try {
                where = Scope.of(entry.hosts(), entry.paths());
            }
            catch (IllegalArgumentException ex) {
                throw new PolicyConfigurationException(entryPrefix, ex.getMessage(), ex);
            }
            scoped.add(new ScopeSelector.Scoped<>(where, rules.build(entryPrefix, i, entry, where)));
        }
        return new ScopeSelector<>(fallback, scoped);
    }
}
