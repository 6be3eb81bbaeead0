package io.spoepolicy.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name=value} command-line options; unknown names fail so typos do not go unnoticed. */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> known = new LinkedHashMap<>();

    Args(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            int eq = arg.indexOf('=');
            values.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
    }

    String string(String name, String fallback, String help) {
        known.put(name, help + " (default " + fallback + ")");
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, String help) {
        return Integer.parseInt(string(name, Integer.toString(fallback), help));
    }

    boolean flag(String name, String help) {
        return Boolean.parseBoolean(string(name, "false", help));
    }

    Duration duration(String name, String fallback, String help) {
        String text = string(name, fallback, help).trim().toLowerCase();
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
    }

    /** A space-separated list. */
    List<String> list(String name, String fallback, String help) {
        String text = string(name, fallback, help).trim();
        return text.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(text.split("\\s+")));
    }

    /** Fails on options nobody asked for; prints the known ones. */
    void checkUnknown() {
        for (String name : values.keySet()) {
            if (!known.containsKey(name)) {
                StringBuilder help = new StringBuilder("unknown option --" + name + "; known:\n");
                known.forEach((key, text) -> help.append("  --").append(key).append(": ").append(text).append('\n'));
                throw new IllegalArgumentException(help.toString());
            }
        }
    }
}
