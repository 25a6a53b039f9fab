package io.procactor.internal.node;

import java.util.ArrayList;
import java.util.List;

/**
 * JVM options a procactor JVM started by us needs on the running JDK: newer JDKs warn on stderr
 * about Netty's native library (22+) and about Kryo's and Netty's use of Unsafe (24+) unless
 * allowed. {@code bin/procactor} applies the same rule to the node. And options that keep an idle
 * child JVM asleep ({@link #quietWhenIdle()}) and small ({@link #trimNativeHeap()}). Threading:
 * stateless.
 */
public final class JdkFlags {
    private JdkFlags() {
    }

    /** The JDK feature releases whose diagnostic flags {@link #quietWhenIdle()} was checked against. */
    static final int QUIET_FROM = 17;
    static final int QUIET_TO = 25;

    /**
     * Flags that stop an idle child's JVM from waking for housekeeping it does not need: the monitor
     * deflation thread checks every 250 ms (now every 10 s; it still deflates at once when monitors
     * pile up, and GuaranteedAsyncDeflationInterval's 60 s stays), and JDK 17 forces a safepoint
     * every second "in case cleanup is due" (0 turns that off, JDK 25's own default). Measured on an
     * idle JDK 17 JVM: 5 wake-ups and 0.026 % of a core per second down to 0.1 wake-ups and 0.0025 %;
     * ten idle children spend 0.23 % of a core less. Both flags are diagnostic, which a later JDK may
     * rename or drop, and an unknown flag stops a JVM from starting: so only for the feature releases
     * checked. They come before the configured options, so a child's own options override them.
     */
    public static List<String> quietWhenIdle() {
        return quietWhenIdle(Runtime.version().feature());
    }

    static List<String> quietWhenIdle(int feature) {
        if (feature < QUIET_FROM || feature > QUIET_TO) {
            return List.of();
        }
        return List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=10000", "-XX:GuaranteedSafepointInterval=0");
    }

    /** How often a child's JVM hands freed C-heap memory back to the system (see {@link #trimNativeHeap()}). */
    static final int TRIM_INTERVAL_MILLIS = 5_000;

    /**
     * glibc keeps memory the JVM has freed, above all the JIT compilers' arenas, which HotSpot's
     * chunk pool cleaner frees every 5 s after a burst of compilations, instead of returning it to
     * the system. Measured on idle children: on JDK 25, 7 MiB in two children of three (RSS 60.3 to
     * 53.1 MiB); on JDK 17, 0.9 MiB (52.4 to 51.5). The JVM's own trimmer (JDK-8293114: a thread that
     * calls malloc_trim) does it every {@link #TRIM_INTERVAL_MILLIS}, the cleaner's own cadence: ten
     * idle children spend no measurable CPU on it (0.07 % of a core with a 2 s interval). A product
     * flag from JDK 23; 17 and 21 got it as an experimental backport in 2023 (jdk21u's 21.0.1;
     * jdk17u-dev in August 2023, so 17.0.10 at the latest) that later updates made a product flag
     * (17.0.15 has it so). An unknown flag stops a JVM, so only from those updates on, unlocked in
     * case it is still experimental. Before the configured options, which may override it
     * ({@code -XX:TrimNativeHeapInterval=0}).
     */
    public static List<String> trimNativeHeap() {
        Runtime.Version v = Runtime.version();
        return trimNativeHeap(v.feature(), v.update());
    }

    static List<String> trimNativeHeap(int feature, int update) {
        String flag = "-XX:TrimNativeHeapInterval=" + TRIM_INTERVAL_MILLIS;
        if (feature >= 23) {
            return List.of(flag);
        }
        boolean carried = feature == 22 || (feature == 21 && update >= 1) || (feature == 17 && update >= 10);
        return carried ? List.of("-XX:+UnlockExperimentalVMOptions", flag) : List.of();
    }

    public static List<String> forThisJdk() {
        int feature = Runtime.version().feature();
        List<String> flags = new ArrayList<>(2);
        if (feature >= 22) {
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }
}
