package io.procactor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle figure's reader counts what the processes run, not its own reading. */
class ProcStatsTest {
    private static final long BURN = TimeUnit.MILLISECONDS.toNanos(300);
    private static final List<Long> THIS_JVM = List.of(ProcessHandle.current().pid());

    @Test
    void theCallingThreadIsLeftOut() {
        long before = ProcStats.onCpuNanos(THIS_JVM);
        burnCpu();
        long counted = ProcStats.onCpuNanos(THIS_JVM) - before;

        // the rest of this JVM (JIT, GC, surefire) does far less than the burn meanwhile
        assertThat(counted).as("CPU counted while the calling thread burnt %d ns", BURN).isLessThan(BURN / 2);
    }

    @Test
    void anotherLiveThreadIsCounted() throws Exception {
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread burner = new Thread(() -> {
            burnCpu();
            burnt.countDown();
            awaitQuietly(release); // alive when read: the time of ended threads is not counted
        }, "burner");
        long before = ProcStats.onCpuNanos(THIS_JVM);
        burner.start();
        try {
            assertThat(burnt.await(1, TimeUnit.MINUTES)).isTrue();
            long counted = ProcStats.onCpuNanos(THIS_JVM) - before;

            assertThat(counted).as("CPU counted while another thread burnt %d ns", BURN).isGreaterThanOrEqualTo(BURN * 9 / 10);
        } finally {
            release.countDown();
            burner.join();
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
