package io.spoepolicy.policy.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a network list file: one address or CIDR network per line; blank lines and everything
 * after {@code #} are ignored.
 */
final class NetworkFile {

    private NetworkFile() {
    }

    /**
     * Adds every network of the file to the list.
     *
     * @throws IllegalArgumentException naming the file and line of a bad entry, or the file when it
     *         cannot be read
     */
    static <V> int addAll(Path file, NetworkList<V> networks, V value) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalArgumentException("cannot read " + file + ": " + ex, ex);
        }
        int added = 0;
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            int comment = line.indexOf('#');
            String entry = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (entry.isEmpty()) {
                continue;
            }
            try {
                networks.add(entry, value);
                added++;
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + " line " + (index + 1) + ": " + ex.getMessage(), ex);
            }
        }
        return added;
    }

    static List<Path> paths(List<String> files) {
        List<Path> paths = new ArrayList<>(files.size());
        for (String file : files) {
            paths.add(Path.of(file));
        }
        return paths;
    }
}
