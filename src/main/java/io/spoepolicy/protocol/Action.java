package io.spoepolicy.protocol;

import java.util.Objects;

/** An action of an ACK frame: set or unset a variable in HAProxy. */
public sealed interface Action {

    VarScope scope();

    /** Variable name without scope and var-prefix; HAProxy composes {@code scope.prefix.name}. */
    String name();

    static Action setVar(VarScope scope, String name, TypedValue value) {
        return new SetVar(scope, name, value);
    }

    static Action unsetVar(VarScope scope, String name) {
        return new UnsetVar(scope, name);
    }

    /** Action type 1: three arguments, scope byte, raw name, typed value. */
    record SetVar(VarScope scope, String name, TypedValue value) implements Action {
        public SetVar {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Action type 2: two arguments, scope byte and raw name. */
    record UnsetVar(VarScope scope, String name) implements Action {
        public UnsetVar {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
        }
    }
}
