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
    void theNativeHeapIsTrimmedOnlyOnTheUpdatesThatKnowTheFlag() {
        String flag = "-XX:TrimNativeHeapInterval=" + JdkFlags.TRIM_INTERVAL_MILLIS;
        assertThat(JdkFlags.trimNativeHeap(25, 0)).as("a product flag").containsExactly(flag);
        assertThat(JdkFlags.trimNativeHeap(23, 0)).containsExactly(flag);
        assertThat(JdkFlags.trimNativeHeap(17, 15)).as("unlocked: experimental in the first backports")
                .containsExactly("-XX:+UnlockExperimentalVMOptions", flag);
        assertThat(JdkFlags.trimNativeHeap(21, 1)).containsExactly("-XX:+UnlockExperimentalVMOptions", flag);
        assertThat(JdkFlags.trimNativeHeap(17, 8)).as("before the backport: an unknown flag stops the JVM").isEmpty();
        assertThat(JdkFlags.trimNativeHeap(21, 0)).isEmpty();
        assertThat(JdkFlags.trimNativeHeap(19, 2)).as("never backported").isEmpty();
    }
}
