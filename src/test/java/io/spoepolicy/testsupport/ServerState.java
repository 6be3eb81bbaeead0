package io.spoepolicy.testsupport;

/**
 * Coarse state of a backend server, from the {@code status} column of {@code show stat}. Transitional
 * values such as {@code "UP 1/2"} (up, one check failed) map to the state the server is still in.
 */
public enum ServerState {
    UP, DOWN, MAINT, DRAIN, NOLB, NO_CHECK, UNKNOWN;

    public static ServerState fromStatus(String status) {
        String s = status == null ? "" : status.trim().toUpperCase(java.util.Locale.ROOT);
        if (s.startsWith("UP")) {
            return UP;
        }
        if (s.startsWith("DOWN")) {
            return DOWN;
        }
        if (s.startsWith("MAINT")) {
            return MAINT;
        }
        if (s.startsWith("DRAIN")) {
            return DRAIN;
        }
        if (s.startsWith("NOLB")) {
            return NOLB;
        }
        if (s.startsWith("NO CHECK")) {
            return NO_CHECK;
        }
        return UNKNOWN;
    }
}
