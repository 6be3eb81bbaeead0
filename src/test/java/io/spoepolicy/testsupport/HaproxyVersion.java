package io.spoepolicy.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Version of an HAProxy binary, as printed by {@code haproxy -v}. The SPOE implementation was
 * rewritten in 3.1 (SPOP multiplexer), which changes log lines, timeouts and error codes, so tests
 * branch on {@link #hasSpopMultiplexer()}.
 */
public record HaproxyVersion(int major, int minor, int patch, String full) implements Comparable<HaproxyVersion> {

    private static final Pattern BANNER = Pattern.compile("version (\\d+)\\.(\\d+)(?:\\.(\\d+))?(\\S*)");

    public static HaproxyVersion parse(String banner) {
        Matcher m = BANNER.matcher(banner);
        if (!m.find()) {
            throw new IllegalArgumentException("no HAProxy version in: " + banner);
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new HaproxyVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch,
                m.group(1) + "." + m.group(2) + (m.group(3) == null ? "" : "." + m.group(3)) + m.group(4));
    }

    public boolean isAtLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    /** True for 3.1 and later: SPOE over the SPOP mux, short log format, no hello/idle timeouts. */
    public boolean hasSpopMultiplexer() {
        return isAtLeast(3, 1);
    }

    @Override
    public int compareTo(HaproxyVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return full;
    }
}
