package io.spoepolicy.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of directory trees for tests that need a changed or assembled copy of project files. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Copies everything below {@code from} into {@code to}, creating directories as needed and
     * merging into those already there; a file that already exists is an error, not overwritten.
     */
    public static void copyInto(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
