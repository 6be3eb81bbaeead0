package io.spoepolicy.policy.waf.regex;

import java.util.List;

/**
 * What {@link Re2Reader} calls as it reads a pattern, bottom-up: one builder computes literal
 * facts for the prefilter, another a tree for the DFA. {@code flags} are the {@link Re2Reader}
 * flag bits in force at that point of the pattern.
 *
 * @param <T> what the builder makes of a sub-pattern
 */
public interface Re2Builder<T> {

    /** Matches only the empty string. */
    T empty();

    /** One literal code point. */
    T literal(int codePoint, int flags) throws UnsupportedRegexException;

    /** {@code .}. */
    T anyChar(int flags) throws UnsupportedRegexException;

    /** A bracketed class, or a Perl / Unicode class escape outside brackets. */
    T charClass(ClassSpec spec, int flags) throws UnsupportedRegexException;

    /** {@code \C}. */
    T anyByte() throws UnsupportedRegexException;

    T assertion(Re2Assertion assertion) throws UnsupportedRegexException;

    T concat(T first, T second);

    /** At least two branches. */
    T alternate(List<T> branches);

    /** {@code x{min,max}}; {@code max < 0} means unbounded. */
    T repeat(T x, int min, int max) throws UnsupportedRegexException;
}
