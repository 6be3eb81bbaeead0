package io.spoepolicy.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One message of a NOTIFY frame, e.g. {@code check-request} with its arguments in wire order.
 *
 * <p>A decoded message does not materialize its arguments: the decoder validates them and
 * records where each one starts in the NOTIFY's payload buffer, and {@link #argument(String)}
 * builds the requested value on demand. STRING and BINARY values are views into that buffer and
 * follow the lifetime contract of {@link TypedValue.StringValue}: valid while the NOTIFY is
 * evaluated, copied by whoever keeps them longer; any read of a finished NOTIFY's message throws
 * {@link io.netty.util.IllegalReferenceCountException}. Messages built with the public
 * constructor hold their own arguments and never expire.
 */
public final class SpopMessage {

    private final String name;
    /** Owned arguments; {@code null} for a decoded message, which reads them from its payload. */
    private final List<SpopArgument> arguments;
    private final PayloadBuffer payload;
    private final int generation;
    private final int first;
    private final int count;

    public SpopMessage(String name, List<SpopArgument> arguments) {
        this.name = Objects.requireNonNull(name, "name");
        this.arguments = List.copyOf(arguments);
        this.payload = null;
        this.generation = 0;
        this.first = 0;
        this.count = this.arguments.size();
    }

    SpopMessage(String name, PayloadBuffer payload, int generation, int first, int count) {
        this.name = name;
        this.arguments = null;
        this.payload = payload;
        this.generation = generation;
        this.first = first;
        this.count = count;
    }

    public String name() {
        return name;
    }

    public int argumentCount() {
        return count;
    }

    /** All arguments in wire order; values of a decoded message are built on each call. */
    public List<SpopArgument> arguments() {
        if (arguments != null) {
            return arguments;
        }
        List<SpopArgument> built = new ArrayList<>(count);
        payload.check(generation);
        try {
            for (int index = first; index < first + count; index++) {
                built.add(new SpopArgument(payload.names[index],
                        PayloadReader.valueAt(payload, generation, payload.valueOffsets[index])));
            }
        }
        catch (RuntimeException ex) {
            payload.validate(generation);
            throw ex;
        }
        payload.validate(generation);
        return Collections.unmodifiableList(built);
    }

    /** The first argument with this name, or {@code null}. */
    public TypedValue argument(String argumentName) {
        if (arguments != null) {
            for (SpopArgument argument : arguments) {
                if (argument.name().equals(argumentName)) {
                    return argument.value();
                }
            }
            return null;
        }
        payload.check(generation);
        TypedValue value = null;
        try {
            String[] names = payload.names;
            for (int index = first; index < first + count; index++) {
                if (names[index].equals(argumentName)) {
                    value = PayloadReader.valueAt(payload, generation, payload.valueOffsets[index]);
                    break;
                }
            }
        }
        catch (RuntimeException ex) {
            // A recycled index may be shorter or differently laid out: report the misuse, not its symptom.
            payload.validate(generation);
            throw ex;
        }
        payload.validate(generation);
        return value;
    }

    /**
     * Keeps the payload readable until the matching {@link #release()}; false when the NOTIFY is
     * already finished. For the agent's dispatcher, which holds the payload while a policy
     * evaluation runs off the event loop; policies never call it.
     */
    public boolean retain() {
        return payload == null || payload.tryRetain(generation);
    }

    /** Gives back one reference taken by {@link #retain()} or held since decoding. */
    public void release() {
        if (payload != null) {
            payload.release(generation);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpopMessage that && name.equals(that.name) && arguments().equals(that.arguments());
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + arguments().hashCode();
    }

    @Override
    public String toString() {
        if (payload != null && payload.generation() != generation) {
            return "SpopMessage[name=" + name + ", released]";
        }
        return "SpopMessage[name=" + name + ", arguments=" + arguments() + "]";
    }
}
