package io.spoepolicy.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.spoepolicy.testsupport.HaproxyVersion;

/**
 * How to check one published configuration with the installed HAProxy, from markers in its header:
 * <ul>
 * <li>{@code # haproxy-requires: X.Y}: needs a newer HAProxy than the installed one (2.6 here). It is
 * checked after writing its only 3.1-specific keyword, {@code mode spop}, as 2.x's
 * {@code mode tcp} (which 3.1 converts back), so everything else in it is still validated; the
 * warning 2.x gives for the SPOE timeouts 3.1 dropped is then expected.</li>
 * <li>{@code # haproxy-fragment: <spoe file>}: sections loaded beside a generated configuration (an
 * ingress controller's auxiliary file). It is checked behind a stand-in for the generated frontend
 * that uses the named SPOE file.</li>
 * </ul>
 */
record DocsConfigMarkers(List<Path> files, boolean downgraded) {

    private static final Pattern REQUIRES = Pattern.compile("(?m)^# haproxy-requires: ([0-9]+)\\.([0-9]+)");
    private static final Pattern FRAGMENT = Pattern.compile("(?m)^# haproxy-fragment: (\\S+)");
    /** The only warning a downgraded 3.1 file may give on 2.x: "timeout hello/idle" are 2.x-only. */
    static final String DOWNGRADE_WARNING = "missing timeouts for SPOE agent";

    static DocsConfigMarkers prepare(Path config, HaproxyVersion installed, Path scratch) {
        try {
            String text = Files.readString(config);
            Path checked = config;
            boolean downgraded = false;
            Matcher requires = REQUIRES.matcher(text);
            if (requires.find()
                    && !installed.isAtLeast(Integer.parseInt(requires.group(1)), Integer.parseInt(requires.group(2)))) {
                checked = downgrade(config, scratch);
                downgraded = true;
            }
            Matcher fragment = FRAGMENT.matcher(text);
            if (fragment.find()) {
                Path spoe = config.toAbsolutePath().resolveSibling(fragment.group(1));
                if (!Files.isRegularFile(spoe)) {
                    throw new IllegalStateException(config + " names a missing SPOE file " + spoe);
                }
                Path frontend = scratch.resolve("generated-frontend.cfg");
                Files.writeString(frontend, """
                        global
                            log stdout format raw local0 info
                        defaults
                            mode http
                            timeout connect 5s
                            timeout client 30s
                            timeout server 30s
                        frontend fe_generated
                            bind 127.0.0.1:8000
                            filter spoe engine spoe-policy config %s
                            http-request deny deny_status 403 if { var(txn.policy.action) -m str deny }
                            http-request return status 200
                        """.formatted(spoe));
                return new DocsConfigMarkers(List.of(frontend, checked), downgraded);
            }
            return new DocsConfigMarkers(List.of(checked), downgraded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the configuration's directory with {@code mode spop} written as {@code mode tcp}. */
    private static Path downgrade(Path config, Path scratch) throws IOException {
        Path directory = config.toAbsolutePath().getParent();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    String text = Files.readString(file).replaceAll("(?m)^(\\s*)mode spop\\b", "$1mode tcp");
                    Files.writeString(scratch.resolve(file.getFileName()), text);
                }
            }
        }
        return scratch.resolve(config.getFileName());
    }
}
