package io.spoepolicy.protocol;

/**
 * Scope byte of SET-VAR and UNSET-VAR actions: where HAProxy stores the variable.
 */
public enum VarScope {
    PROCESS(0, "proc"),
    SESSION(1, "sess"),
    TRANSACTION(2, "txn"),
    REQUEST(3, "req"),
    RESPONSE(4, "res");

    private final int id;
    private final String haproxyName;

    VarScope(int id, String haproxyName) {
        this.id = id;
        this.haproxyName = haproxyName;
    }

    public int id() {
        return id;
    }

    /** The prefix HAProxy uses for this scope in configurations, e.g. {@code txn}. */
    public String haproxyName() {
        return haproxyName;
    }

    /** Parses a scope from its HAProxy name ({@code txn}) or enum name ({@code transaction}). */
    public static VarScope parse(String text) {
        for (VarScope scope : values()) {
            if (scope.haproxyName.equalsIgnoreCase(text) || scope.name().equalsIgnoreCase(text)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown variable scope '" + text
                + "' (expected one of proc, sess, txn, req, res)");
    }
}
