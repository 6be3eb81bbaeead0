package io.spoepolicy.policy.waf;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared CRS checkout the tests run against (never copied into the project). */
public final class CrsTestSupport {

    private CrsTestSupport() {}

    public static Path crs() {
        String prop = System.getProperty("spoe.crs.dir");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../shared/crs");
        if (!Files.isDirectory(p.resolve("rules"))) {
            throw new IllegalStateException("CRS not found at " + p.toAbsolutePath()
                    + "; set -Dspoe.crs.dir or place CRS at ../shared/crs");
        }
        return p.normalize();
    }
}
