package io.spoepolicy.policy.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.Validator;

/**
 * Binds and validates policy configuration from one snapshot of the environment, the way
 * {@code @ConfigurationProperties} does at startup, so that a reload applies the same rules. Every
 * failure becomes a {@link PolicyConfigurationException} naming the property.
 */
public final class PolicyBinder {

    private final Binder binder;
    private final Validator validator;

    public PolicyBinder(Binder binder, Validator validator) {
        this.binder = Objects.requireNonNull(binder, "binder");
        this.validator = validator;
    }

    public static PolicyBinder of(Environment environment, Validator validator) {
        return new PolicyBinder(Binder.get(environment), validator);
    }

    /** Binds {@code prefix} to a new instance of {@code type}, defaults applied when nothing is set. */
    public <T> T bind(String prefix, Class<T> type) {
        return bind(prefix, Bindable.of(type));
    }

    public <T> T bind(String prefix, Bindable<T> target) {
        BindHandler handler = validator == null ? BindHandler.DEFAULT : new ValidationBindHandler(validator);
        try {
            return binder.bindOrCreate(prefix, target, handler);
        }
        catch (BindException ex) {
            throw translate(prefix, ex);
        }
    }

    /** Binds a value that may be absent, without creating a default. */
    public <T> T bindOrNull(String prefix, Bindable<T> target) {
        try {
            return binder.bind(prefix, target).orElse(null);
        }
        catch (BindException ex) {
            throw translate(prefix, ex);
        }
    }

    private static PolicyConfigurationException translate(String prefix, BindException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof BindValidationException validation) {
            List<String> problems = new ArrayList<>();
            String first = null;
            for (ObjectError error : validation.getValidationErrors().getAllErrors()) {
                String property = property(validation.getValidationErrors().getName(), error);
                first = first == null ? property : first;
                problems.add(property + ": " + error.getDefaultMessage());
            }
            if (!problems.isEmpty()) {
                String message = problems.size() == 1 ? problems.get(0).substring(first.length() + 2)
                        : problems.stream().collect(Collectors.joining("; "));
                return new PolicyConfigurationException(first, message, ex);
            }
        }
        String property = ex.getProperty() != null ? ex.getProperty().getName().toString() : ex.getName().toString();
        String reason = cause != null && cause.getMessage() != null ? cause.getMessage() : ex.getMessage();
        if (ex.getProperty() != null && ex.getProperty().getValue() != null) {
            reason = "cannot use value '" + ex.getProperty().getValue() + "': " + rootMessage(cause, reason);
        }
        return new PolicyConfigurationException(property == null || property.isEmpty() ? prefix : property, reason, ex);
    }

    private static String property(ConfigurationPropertyName object, ObjectError error) {
        if (error instanceof FieldError field) {
            return object + "." + toKebab(field.getField());
        }
        return object.toString();
    }

    private static String rootMessage(Throwable cause, String fallback) {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root != null && root.getMessage() != null ? root.getMessage() : fallback;
    }

    /** {@code denyStatus} → {@code deny-status}, {@code scopes[0].requiredScopes} → {@code scopes[0].required-scopes}. */
    static String toKebab(String field) {
        StringBuilder out = new StringBuilder(field.length() + 4);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
