package io.spoepolicy.leaks;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer that this project's code touched.
 * Registered for every test class through JUnit's extension auto-detection. Leaks whose records
 * never mention the project (e.g. inside an HTTP test client) are left to Netty's own log line.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        if (!RecordingLeakDetector.installed()) {
            return;
        }
        List<String> ours = RecordingLeakDetector.collectLeaks().stream()
                .filter(leak -> leak.contains("io.spoepolicy"))
                .toList();
        if (!ours.isEmpty()) {
            throw new AssertionError(ours.size() + " leaked buffer(s) detected after "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", ours));
        }
    }
}
