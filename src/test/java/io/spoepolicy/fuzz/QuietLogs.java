package io.spoepolicy.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Raises the root log level to ERROR for a fuzz test class and restores it afterwards: the code
 * under test logs every protocol error it sees, and a fuzzer produces millions of them.
 */
public final class QuietLogs implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietLogs.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            context.getStore(NAMESPACE).put("level", root.getLevel());
            root.setLevel(Level.ERROR);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(context.getStore(NAMESPACE).get("level", Level.class));
        }
    }
}
