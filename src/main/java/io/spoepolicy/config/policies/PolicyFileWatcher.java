package io.spoepolicy.config.policies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Polls the files of the active policy generation and reloads when one changes. Polling (path,
 * resolved target, size, modification time) rather than a watch service, because Kubernetes
 * updates a mounted ConfigMap or Secret by swapping a symlink, which directory watches on the
 * visible path do not report. A rejected configuration is not retried until the files change
 * again.
 */
final class PolicyFileWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PolicyFileWatcher.class);

    private final PolicyReloader reloader;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private volatile List<String> lastSeen;

    PolicyFileWatcher(PolicyReloader reloader, Duration interval) {
        this.reloader = reloader;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        lastSeen = fingerprint(reloader.active().current().watchedFiles());
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spoe-policy-watch");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Watching {} policy configuration file(s) every {}", reloader.active().current().watchedFiles().size(),
                interval);
    }

    void poll() {
        try {
            List<Path> files = reloader.active().current().watchedFiles();
            List<String> seen = fingerprint(files);
            if (seen.equals(lastSeen)) {
                return;
            }
            lastSeen = seen;
            reloader.reload("file-change");
            List<Path> now = reloader.active().current().watchedFiles();
            if (!now.equals(files)) {
                // The new generation reads other files: start comparing against those.
                lastSeen = fingerprint(now);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Policy file watch failed", ex);
        }
    }

    static List<String> fingerprint(List<Path> files) {
        List<String> result = new ArrayList<>();
        for (Path file : files) {
            describe(file, result, 0);
        }
        return result;
    }

    private static void describe(Path path, List<String> into, int depth) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            into.add(path + "|" + path.toRealPath() + "|" + attributes.size() + "|"
                    + attributes.lastModifiedTime().toMillis());
            if (attributes.isDirectory() && depth == 0) {
                try (Stream<Path> children = Files.list(path)) {
                    children.sorted().forEach(child -> describe(child, into, depth + 1));
                }
            }
        }
        catch (IOException ex) {
            into.add(path + "|missing");
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
