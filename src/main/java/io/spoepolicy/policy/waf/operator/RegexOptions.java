package io.spoepolicy.policy.waf.operator;

/**
 * How {@code @rx} patterns are compiled.
 *
 * @param dfa whether to build a DFA per pattern so that RE2J runs only to confirm an inexact DFA's
 *     match or to extract captures
 * @param dfaMaxStates DFA states a pattern may reach while its DFA is built (bounds the work at
 *     load); a pattern needing more keeps plain RE2J
 * @param dfaMaxTableBytes table size a pattern's DFA may have once built (bounds the memory); a
 *     pattern needing more keeps plain RE2J
 */
public record RegexOptions(boolean dfa, int dfaMaxStates, long dfaMaxTableBytes) {

    public static final int DEFAULT_MAX_STATES = 2_500;
    public static final long DEFAULT_MAX_TABLE_BYTES = 128 * 1024;
    public static final RegexOptions DEFAULT = new RegexOptions(true, DEFAULT_MAX_STATES, DEFAULT_MAX_TABLE_BYTES);
    public static final RegexOptions NO_DFA = new RegexOptions(false, DEFAULT_MAX_STATES, DEFAULT_MAX_TABLE_BYTES);

    public RegexOptions {
        if (dfaMaxStates < 1 || dfaMaxStates > 65_000) {
            throw new IllegalArgumentException("DFA state limit must be 1..65000: " + dfaMaxStates);
        }
        if (dfaMaxTableBytes < 0) {
            throw new IllegalArgumentException("DFA table limit must not be negative: " + dfaMaxTableBytes);
        }
    }
}
