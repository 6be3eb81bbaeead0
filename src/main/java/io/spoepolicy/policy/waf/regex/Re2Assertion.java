package io.spoepolicy.policy.waf.regex;

/** The zero-width assertions of RE2 syntax, with {@code ^}/{@code $} already resolved by {@code (?m)}. */
public enum Re2Assertion {
    /** {@code \A}, or {@code ^} without {@code (?m)}. */
    BEGIN_TEXT,
    /** {@code \z}, or {@code $} without {@code (?m)}: RE2's {@code $} never matches before a final newline. */
    END_TEXT,
    /** {@code ^} under {@code (?m)}: at the start or after {@code \n}. */
    BEGIN_LINE,
    /** {@code $} under {@code (?m)}: at the end or before {@code \n}. */
    END_LINE,
    /** {@code \b}, ASCII word characters as RE2 defines them. */
    WORD_BOUNDARY,
    /** {@code \B}. */
    NOT_WORD_BOUNDARY
}
