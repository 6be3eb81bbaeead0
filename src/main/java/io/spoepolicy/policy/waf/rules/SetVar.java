package io.spoepolicy.policy.waf.rules;

/**
 * A {@code setvar} action on the TX collection: {@code tx.name=value}, {@code =+value},
 * {@code =-value} or {@code !tx.name}.
 */
public record SetVar(Macro name, Op op, Macro value) {

    /** How the value is applied. */
    public enum Op {
        SET,
        ADD,
        SUBTRACT,
        DELETE
    }
}
