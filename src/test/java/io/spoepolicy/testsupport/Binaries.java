package io.spoepolicy.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds external executables the end-to-end tests drive. A system property {@code spoe.<name>.bin}
 * overrides the lookup, so CI can point at a self-built HAProxy 3.x next to the distribution one.
 */
public final class Binaries {

    // Debian puts haproxy in /usr/sbin, which is not on a non-root PATH.
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

    private Binaries() {
    }

    public static Optional<Path> locate(String name) {
        String override = System.getProperty("spoe." + name + ".bin");
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        List<String> dirs = new ArrayList<>();
        String pathEnv = System.getenv("PATH");
        if (pathEnv != null) {
            dirs.addAll(List.of(pathEnv.split(File.pathSeparator)));
        }
        dirs.addAll(EXTRA_DIRS);
        return dirs.stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public static Path require(String name, String installHint) {
        return locate(name).orElseThrow(() -> new IllegalStateException(
                name + " not found on PATH; install with " + installHint));
    }

    public static Path haproxy() {
        return require("haproxy", "apt-get install haproxy");
    }

    public static Path redisServer() {
        return require("redis-server", "apt-get install redis-server");
    }
}
