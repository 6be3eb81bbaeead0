package io.spoepolicy.policy.waf.crs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layout of an OWASP CRS checkout or release: {@code crs-setup.conf} (or its
 * {@code .example}) and {@code rules/REQUEST-*.conf} with the {@code *.data} files beside them.
 * Response rules are not read: an SPOE request agent never sees responses.
 */
public record CrsDirectory(Path root, Path rulesDir, Path setupFile, List<Path> requestRuleFiles) {

    public static CrsDirectory open(Path root) throws IOException {
        Path rules = Files.isDirectory(root.resolve("rules")) ? root.resolve("rules") : root;
        Path setup = firstExisting(root.resolve("crs-setup.conf"), root.resolve("crs-setup.conf.example"),
                rules.resolve("crs-setup.conf"), rules.resolve("crs-setup.conf.example"));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(rules)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("REQUEST-") && n.endsWith(".conf");
            }).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException("no REQUEST-*.conf rule files in " + rules);
        }
        return new CrsDirectory(root, rules, setup, List.copyOf(files));
    }

    private static Path firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
