package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Short-lived directories for processes under test; short paths keep Unix socket names under 108 bytes. */
final class TempDirs {

    /** Set to keep configs and logs of every started process for post-mortem reading. */
    static final String KEEP_PROPERTY = "spoe.e2e.keep";

    private TempDirs() {
    }

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteUnlessKept(Path directory) {
        if (directory == null || Boolean.getBoolean(KEEP_PROPERTY)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover directory in /tmp must not fail a test.
        }
    }
}
