package io.spoepolicy.policy.waf.regex.dfa;

/**
 * A deterministic automaton answering "does the regex match anywhere in this input" in one table
 * lookup per character, with RE2J's {@code find()} semantics (unanchored search, assertions
 * included). Thread-safe.
 *
 * <p>When {@link #exact()} a {@link #YES} is RE2J's answer; otherwise (a Unicode class, or case
 * folding of a non-ASCII character it does not model) it may say {@link #YES} where RE2J would
 * not match, never the reverse: {@link #NO} is always final, {@link #YES} from an inexact DFA
 * must be confirmed by RE2J, and {@link #UNKNOWN} (a lazily built DFA that reached its size
 * bound) means "ask RE2J".
 */
public interface RegexDfa {

    int NO = 0;
    int YES = 1;
    int UNKNOWN = 2;

    /** {@link #NO}, {@link #YES} or {@link #UNKNOWN} for a match anywhere in {@code input}. */
    int search(CharSequence input);

    /** Whether a {@link #YES} is RE2J's answer (else it needs confirming). */
    boolean exact();

    /** Whether states are built as inputs need them (and {@link #UNKNOWN} is possible). */
    boolean lazy();

    /** States built (so far, for a lazy one). */
    int states();

    /** Approximate heap size of the tables (at most, for a lazy one), in bytes. */
    long tableBytes();
}
