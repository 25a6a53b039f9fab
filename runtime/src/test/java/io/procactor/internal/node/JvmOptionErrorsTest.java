package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the JVM prints when it refuses an option, mapped back to the option and where it was set. */
class JvmOptionErrorsTest {
    private static final String CANNOT = "Error: Could not create the Java Virtual Machine.";
    private static final String FATAL = "Error: A fatal exception has occurred. Program will exit.";
    private static final List<String> CONFIGURED = List.of("-XX:+UseSerialGC", "-Xss512k");

    @Test
    void anOptionOfTheProcessIsNamedWithTheJvmsMessage() {
        assertThat(JvmOptionErrors.explain(List.of("Invalid maximum heap size: -Xmx10GB", CANNOT, FATAL), CONFIGURED,
                "application.conf: 3", List.of("-Xmx10GB")))
                .hasValue("the JVM refused option [-Xmx10GB] (set in the process's own JVM options: ProcessOptions.jvmOptions "
                        + "or its topology entry's jvm-options): Invalid maximum heap size: -Xmx10GB");
    }

    @Test
    void aConfiguredOptionIsNamedWithItsOrigin() {
        assertThat(JvmOptionErrors.explain(List.of("Unrecognized VM option 'Frobnicate'", CANNOT, FATAL),
                List.of("-XX:+UseSerialGC", "-XX:+Frobnicate"), "application.conf: 7", List.of()))
                .hasValue("the JVM refused option [-XX:+Frobnicate] (set in procactor.process.jvm-options, application.conf: 7): "
                        + "Unrecognized VM option 'Frobnicate'");
    }

    @Test
    void anOptionNotFoundInTheMessageStillGetsTheJvmsWords() {
        assertThat(JvmOptionErrors.explain(List.of("Error occurred during initialization of VM", "Too small maximum heap"),
                CONFIGURED, null, List.of("-Xmx1k"))).get().asString()
                .contains("refused to start with its options [-Xmx1k]").contains("Error occurred during initialization of VM");
    }

    @Test
    void otherFailuresAreNotExplainedAsOptions() {
        assertThat(JvmOptionErrors.explain(List.of("Exception in thread \"main\" java.lang.NoClassDefFoundError: x"), CONFIGURED,
                null, List.of())).isEmpty();
    }
}
