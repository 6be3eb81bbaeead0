package io.spoepolicy.protocol;

import java.util.List;

/** One message of a NOTIFY frame, e.g. {@code check-request} with its arguments in wire order. */
public record SpopMessage(String name, List<SpopArgument> arguments) {

    public SpopMessage {
        arguments = List.copyOf(arguments);
    }

    /** The first argument with this name, or {@code null}. */
    public TypedValue argument(String argumentName) {
        for (SpopArgument argument : arguments) {
            if (argument.name().equals(argumentName)) {
                return argument.value();
            }
        }
        return null;
    }
}
