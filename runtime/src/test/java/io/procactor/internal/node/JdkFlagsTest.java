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
        String flag = "-XX:TrimNativeHeapInterval=" + JdkFlags.TRIM_INTERVAL_MILLIS;
        assertThat(JdkFlags.trimOptions(true, true, false)).containsExactly(flag);
        assertThat(JdkFlags.trimOptions(true, true, true)).as("known perhaps only because this JVM unlocked experimental flags")
                .containsExactly("-XX:+UnlockExperimentalVMOptions", flag);
        assertThat(JdkFlags.trimOptions(false, true, false)).as("musl: HotSpot would warn in every child").isEmpty();
        assertThat(JdkFlags.trimOptions(true, false, false)).as("an unknown flag would stop every child").isEmpty();
    }

    @Test
    void glibcIsKnownByItsMappedLibrary() {
        assertThat(JdkFlags.mapsGlibc("7f2a r-xp 00028000 fe:01 1180 /usr/lib/x86_64-linux-gnu/libc.so.6")).isTrue();
        assertThat(JdkFlags.mapsGlibc("7f2a r-xp 00028000 fe:01 1180 /lib/x86_64-linux-gnu/libc-2.31.so")).as("glibc before 2.34").isTrue();
        assertThat(JdkFlags.mapsGlibc("7f2a r-xp 00028000 fe:01 1180 /usr/lib64/libc.so.6 (deleted)")).as("upgraded in place").isTrue();
        assertThat(JdkFlags.mapsGlibc("7f2a r-xp 00014000 fe:01 1181 /lib/ld-musl-x86_64.so.1")).as("musl").isFalse();
        assertThat(JdkFlags.mapsGlibc("7f2a r-xp 00014000 fe:01 1182 /usr/lib/x86_64-linux-gnu/libcrypto.so.3")).isFalse();
    }

    @Test
    void lockedAndUnknownFlagsReadAsUnknown() {
        assertThat(JdkFlags.knowsProductFlag("UseSerialGC")).isTrue();
        assertThat(JdkFlags.knowsProductFlag("NoSuchFlagAnywhere")).isFalse();
        assertThat(JdkFlags.knowsProductFlag("GuaranteedSafepointInterval")).as("diagnostic: locked unless unlocked").isFalse();
    }
}
