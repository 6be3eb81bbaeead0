package io.spoepolicy.server;

/** Gives tests outside this package the sessions a factory creates for accepted connections. */
public final class TestSessions {

    private TestSessions() {
    }

    /** A new session, or {@code null} when the factory's connection limit is reached. */
    public static SpopSession create(SessionFactory factory) {
        return factory.create();
    }
}
