package io.spoepolicy.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The annotated test needs the {@code haproxy} binary. Without it the test is skipped, unless the
 * system property {@code spoe.e2e.required=true} is set (CI), in which case it fails.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ExternalBinaryCondition.class)
public @interface RequiresHaproxy {
}
