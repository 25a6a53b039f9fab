package io.procactor.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that starts child JVMs (processes, pools, the CLI, JMH): JUnit tag
 * {@value #TAG}. The fast loop leaves them out: {@code ./mvnw -B test -Dgroups=fast} (the
 * {@code fast} profile of the parent pom, which runs tag expression {@code !jvm}). Every other
 * test runs in the test's JVM alone, in milliseconds to a few seconds. An annotation: immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(SpawnsJvms.TAG)
public @interface SpawnsJvms {
    String TAG = "jvm";
}
