package io.spoepolicy.protocol;

/** One named argument of a message; the name may be empty (unnamed {@code args}). */
public record SpopArgument(String name, TypedValue value) {
}
