package io.spoepolicy.policy.waf.regex;

import java.util.List;

/**
 * A character class as written ({@code [...]}, or a lone {@code \d} / {@code \pL} outside
 * brackets), before any interpretation: each builder decides what the items mean to it.
 *
 * @param negated {@code [^...]}
 * @param items the members, in pattern order
 */
public record ClassSpec(boolean negated, List<Item> items) {

    public ClassSpec {
        items = List.copyOf(items);
    }

    /** One member of a class. */
    public sealed interface Item permits Range, Perl, Posix, UnicodeClass {}

    /** {@code lo-hi} (a single character has {@code lo == hi}); code points. */
    public record Range(int lo, int hi) implements Item {}

    /** {@code \d \s \w \D \S \W}. */
    public record Perl(char name) implements Item {}

    /** {@code [:name:]} or {@code [:^name:]}. */
    public record Posix(String name, boolean negated) implements Item {}

    /** {@code \pL}, {@code \p{Greek}}, {@code \PL}, {@code \p{^Greek}}: the text after p/P. */
    public record UnicodeClass(String name, boolean negated) implements Item {}
}
