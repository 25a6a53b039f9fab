package io.procactor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.testkit.Timeouts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle figure's reader counts what the processes run, not its own reading. */
class ProcStatsTest {
    private static final long BURN = TimeUnit.MILLISECONDS.toNanos(500);

    @Test
    void theCallingThreadIsLeftOut() {
        List<Long> thisJvm = List.of(ProcessHandle.current().pid());
        long before = ProcStats.onCpuNanos(thisJvm);
        burnCpu();
        long counted = ProcStats.onCpuNanos(thisJvm) - before;

        // the rest of this JVM (JIT, GC, surefire) does far less than the burn meanwhile
        assertThat(counted).as("CPU counted while the calling thread burnt %d ns", BURN).isLessThan(BURN / 2);
    }

    @Test
    void theThreadsOfAnotherProcessAreCounted() throws Exception {
        // a shell's busy loop: one thread that lives as long as the process (the reader leaves out ended threads)
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            await().atMost(Timeouts.seconds(60)).until(() -> ProcStats.cpuNanos(busy.pid()) >= BURN);
            long byClockTicks = ProcStats.cpuNanos(busy.pid());

            long counted = ProcStats.onCpuNanos(List.of(busy.pid()));

            assertThat(counted).as("the busy process's CPU, read after /proc/PID/stat said %d ns", byClockTicks)
                    .isGreaterThanOrEqualTo(byClockTicks - TimeUnit.MILLISECONDS.toNanos(20));
        } finally {
            busy.destroyForcibly();
            assertThat(busy.waitFor(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    /** {@link #BURN} nanoseconds of this thread's CPU, however long that takes on a busy machine. */
    private static void burnCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + BURN;
        while (threads.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }
}
