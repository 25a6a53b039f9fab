package io.procactor.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test class whose tests get an {@link io.procactor.ActorSystem} (and
 * {@link TestProbe}s) as parameters, with fast test settings, and fail when a child process
 * outlives them; see {@link ProcactorExtension} for the rules.
 *
 * <pre>{@code
 * @ProcactorTest
 * class DoublerTest {
 *     @Test
 *     void doubles(ActorSystem system, TestProbe probe) {
 *         ActorProcess p = system.spawnProcess(Props.create(Doubler.class), "doubler");
 *         probe.send(p.ref(), 21);
 *         probe.expectMessage(42);
 *     }
 * }
 * }</pre>
 *
 * <p>An annotation: immutable, thread-safe.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ProcactorExtension.class)
public @interface ProcactorTest {
    /** The name of the systems the tests get; empty (the default) means the test class's simple name, lower-case. */
    String name() default "";

    /**
     * Settings for the tests' systems, as {@code key=value} strings like the CLI's {@code --set}
     * (e.g. {@code "procactor.mailbox.capacity=10"}); they override the extension's test settings
     * ({@link ProcactorExtension#testSettings()}), and {@code -Dprocactor...} system properties override them.
     */
    String[] config() default {};

    /**
     * Message classes the tests' systems register by class alone
     * ({@link io.procactor.ActorSystem.Builder#register(Class[])}); none by default.
     */
    Class<?>[] register() default {};

    /**
     * How long, before scaling by the time factor, the processes a test started get to exit after it
     * ended before the test fails; default {@link ProcactorExtension#EXIT_GRACE}.
     */
    long exitGraceMillis() default 10_000;
}
