package io.spoepolicy.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.logging.logback.RollingPolicySystemProperty;
import org.springframework.core.env.StandardEnvironment;

/**
 * The JVM-wide logging state an application started by a test leaves behind, taken before it
 * starts and put back after it closes. Two things outlive the application: the logging system's
 * configuration (closing only marks it uninitialised, its appenders stay), and the System
 * properties Boot derives from {@code logging.*} (CONSOLE_LOG_STRUCTURED_FORMAT ...), which Boot
 * sets only where absent, so one application's values win over those of every later application
 * in the same JVM.
 *
 * @param systemProperties the values Boot's logging System properties had, absent ones left out
 */
public record GlobalLoggingState(Map<String, String> systemProperties) {

    public GlobalLoggingState {
        systemProperties = Map.copyOf(systemProperties);
    }

    public static GlobalLoggingState capture() {
        Map<String, String> values = new HashMap<>();
        propertyNames().forEach(name -> {
            String value = System.getProperty(name);
            if (value != null) {
                values.put(name, value);
            }
        });
        return new GlobalLoggingState(values);
    }

    /**
     * Puts the System properties back and configures logging as Boot does for an application
     * without {@code logging.*} settings, then releases it so the next application configures
     * logging its own way (as the first one in a JVM does).
     */
    public void restore() {
        propertyNames().forEach(name -> {
            String value = systemProperties.get(name);
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        LoggingSystem loggingSystem = LoggingSystem.get(GlobalLoggingState.class.getClassLoader());
        loggingSystem.cleanUp();
        loggingSystem.beforeInitialize();
        loggingSystem.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
        loggingSystem.cleanUp();
    }

    private static Stream<String> propertyNames() {
        return Stream.concat(Stream.of(LoggingSystemProperty.values()).map(LoggingSystemProperty::getEnvironmentVariableName),
                Stream.of(RollingPolicySystemProperty.values()).map(RollingPolicySystemProperty::getEnvironmentVariableName));
    }
}
