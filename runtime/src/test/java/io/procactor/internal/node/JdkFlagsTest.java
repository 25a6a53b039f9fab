package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which flags a child JVM gets for the JDK it runs on; the real child's command line is checked in SmokeTest. */
class JdkFlagsTest {
    @Test
    void idleHousekeepingIsQuietedOnlyOnTheJdksItWasCheckedAgainst() {
        assertThat(JdkFlags.quietWhenIdle(17)).containsExactly("-XX:+UnlockDiagnosticVMOptions",
                "-XX:AsyncDeflationInterval=10000", "-XX:GuaranteedSafepointInterval=0");
        assertThat(JdkFlags.quietWhenIdle(25)).isEqualTo(JdkFlags.quietWhenIdle(17));
        assertThat(JdkFlags.quietWhenIdle(16)).as("older than the range: the flag may not exist").isEmpty();
        assertThat(JdkFlags.quietWhenIdle(26)).as("newer than checked: a dropped diagnostic flag would stop the JVM").isEmpty();
    }

    @Test
    void theDiagnosticUnlockComesFirst() {
        assertThat(JdkFlags.quietWhenIdle(21).get(0)).isEqualTo("-XX:+UnlockDiagnosticVMOptions");
    }

    @Test
    void theNativeHeapIsTrimmedOnlyOnGlibcWithAJvmThatKnowsTheFlag() {
        assertThat(JdkFlags.trimOptions(true, true)).containsExactly("-XX:TrimNativeHeapInterval=" + JdkFlags.TRIM_INTERVAL_MILLIS);
        assertThat(JdkFlags.trimOptions(false, true)).as("musl: HotSpot would warn in every child").isEmpty();
        assertThat(JdkFlags.trimOptions(true, false)).as("an unknown flag would stop every child").isEmpty();
    }

    @Test
    void lockedAndUnknownFlagsReadAsUnknown() {
        assertThat(JdkFlags.knowsProductFlag("UseSerialGC")).isTrue();
        assertThat(JdkFlags.knowsProductFlag("NoSuchFlagAnywhere")).isFalse();
        assertThat(JdkFlags.knowsProductFlag("GuaranteedSafepointInterval")).as("diagnostic: locked unless unlocked").isFalse();
    }
}
