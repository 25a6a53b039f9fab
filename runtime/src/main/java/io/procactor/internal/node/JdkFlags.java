package io.procactor.internal.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * JVM options a procactor JVM started by us needs on the running JDK: newer JDKs warn on stderr
 * about Netty's native library (22+) and about Kryo's and Netty's use of Unsafe (24+) unless
 * allowed. {@code bin/procactor} applies the same rule to the node. And options that keep an idle
 * child JVM asleep ({@link #quietWhenIdle()}) and small ({@link #trimNativeHeap()}). Threading:
 * thread-safe; stateless but for {@link #trimNativeHeap()}'s answer, found once per JVM.
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
    static final String TRIM_FLAG = "TrimNativeHeapInterval";
    private static final CompletableFuture<List<String>> TRIM = new CompletableFuture<>();
    private static final AtomicBoolean TRIM_ASKED = new AtomicBoolean();

    /**
     * glibc keeps memory the JVM has freed, above all the JIT compilers' arenas, which HotSpot's
     * chunk pool cleaner frees every 5 s after a burst of compilations, instead of returning it to
     * the system. Measured on idle children: on JDK 25, 7 MiB in two children of three (RSS 60.4 to
     * 53.4 MiB); on JDK 17, 0.6-0.8 MiB (52.3 to 51.5-51.7). The JVM's own trimmer (JDK-8293114: a
     * thread that calls malloc_trim) does it every {@link #TRIM_INTERVAL_MILLIS}, the cleaner's own
     * cadence, for a few tens of microseconds of CPU each time.
     *
     * <p>Only where it is known to work: on glibc (elsewhere HotSpot prints a warning in every child)
     * and where this JVM, whose {@code java} the children run, knows the flag as a product flag (JDK
     * 23 on, and later updates of 17, 21 and 22; the first backports had it experimental, and an
     * unknown flag would stop every child). Asking HotSpot costs this JVM 35-50 ms of management
     * start-up once, so the node asks as it starts ({@link #askAboutTrim()}) and the first child
     * waits only for what is left. Before the configured options, which may override it
     * ({@code -XX:TrimNativeHeapInterval=0} in {@code jvm-options}).
     */
    public static List<String> trimNativeHeap() {
        askAboutTrim();
        return TRIM.join();
    }

    /** Starts finding out what {@link #trimNativeHeap()} answers, on a thread of its own; once per JVM. */
    public static void askAboutTrim() {
        if (!TRIM_ASKED.compareAndSet(false, true)) {
            return;
        }
        try { // an answer however the probe ends: children wait for it (no trim costs only a few MiB)
            Thread t = new Thread(() -> {
                List<String> answer = List.of();
                try {
                    answer = trimOptions(onGlibc(), knowsProductFlag(TRIM_FLAG),
                            Boolean.parseBoolean(flagValue("UnlockExperimentalVMOptions")));
                } catch (Throwable e) {
                    // not HotSpot, no jdk.management module, ...: no trim
                } finally {
                    TRIM.complete(answer);
                }
            }, "procactor-jdk-flags");
            t.setDaemon(true);
            t.start();
        } catch (Throwable e) { // no thread to be had
            TRIM.complete(List.of());
        }
    }

    /**
     * @param unlockedHere whether this JVM unlocked experimental flags: then {@code flagKnown} may be
     *     true of the flag's experimental first backport, which a child needs unlocked too
     */
    static List<String> trimOptions(boolean glibc, boolean flagKnown, boolean unlockedHere) {
        if (!glibc || !flagKnown) {
            return List.of();
        }
        String flag = "-XX:" + TRIM_FLAG + "=" + TRIM_INTERVAL_MILLIS;
        return unlockedHere ? List.of("-XX:+UnlockExperimentalVMOptions", flag) : List.of(flag);
    }

    private static String flagValue(String name) {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
    }

    /** Whether this JVM's HotSpot has {@code name} as a product flag (locked experimental and diagnostic ones read as unknown). */
    static boolean knowsProductFlag(String name) {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name);
            return true;
        } catch (RuntimeException | LinkageError e) { // unknown flag, not HotSpot, or no jdk.management module
            return false;
        }
    }

    /**
     * Whether this process runs on glibc: its C library is mapped as libc.so.6 (glibc 2.34 on) or
     * libc-2.NN.so (before); musl's is ld-musl-*.so.1.
     */
    static boolean onGlibc() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1)) {
            return maps.anyMatch(JdkFlags::mapsGlibc);
        } catch (IOException | UncheckedIOException e) {
            return false; // not Linux
        }
    }

    static boolean mapsGlibc(String mapsLine) {
        return GLIBC.matcher(mapsLine).find();
    }

    private static final Pattern GLIBC = Pattern.compile("/libc(?:\\.so\\.6|-2\\.\\d+\\.so)(?: \\(deleted\\))?$");

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
