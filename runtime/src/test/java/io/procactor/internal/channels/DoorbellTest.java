package io.procactor.internal.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.Timeouts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring sleepers' slots and the doorbell that wakes them: a bell over the Unix socket unparks
 * this process's sleepers, a publisher rings a sleeping process once until it wakes, and a slot
 * whose process is gone is freed.
 */
class DoorbellTest {
    @TempDir
    Path dir;

    private Sleepers sleepers(Path bells) {
        return new Sleepers(ByteBuffer.allocateDirect(Sleepers.BYTES).order(ByteOrder.nativeOrder()), 0, bells);
    }

    @Test
    void aBellOverTheSocketWakesASleeperThatWouldOtherwiseSleepForever() throws Exception {
        assertThat(Doorbell.listen(dir)).isTrue();
        assertThat(Files.exists(Doorbell.bellOf(dir, Doorbell.pid()))).isTrue();
        AtomicBoolean rung = new AtomicBoolean();
        CountDownLatch asleep = new CountDownLatch(1);
        CountDownLatch woke = new CountDownLatch(1);
        Thread sleeper = new Thread(() -> {
            Doorbell.sleeping(Thread.currentThread());
            asleep.countDown();
            while (!rung.get()) {
                Doorbell.sleep(TimeUnit.HOURS.toNanos(1)); // only a bell (or an unpark) ends it in time
            }
            Doorbell.awake(Thread.currentThread());
            woke.countDown();
        });
        sleeper.setDaemon(true);
        sleeper.start();
        assertThat(asleep.await(Timeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        rung.set(true);
        assertThat(Doorbell.ringOverSocket(dir, Doorbell.pid())).isTrue();
        assertThat(woke.await(Timeouts.seconds(10).toMillis(), TimeUnit.MILLISECONDS))
                .as("the bell woke the sleeper in the selector").isTrue();
    }

    @Test
    void aRingFromThisProcessJustBeforeTheSleeperSelectsEndsItsSelectAtOnce() {
        assertThat(Doorbell.listen(dir)).isTrue();
        Thread me = Thread.currentThread();
        Doorbell.sleeping(me);
        try {
            assertThat(Doorbell.ring(dir, Doorbell.pid())).isTrue(); // marked asleep, not selecting yet: no leader
            long limit = Timeouts.seconds(10).toNanos();
            long start = System.nanoTime();
            Doorbell.sleep(limit); // leads the select now; only the wake-up given before it ends it in time

            assertThat(System.nanoTime() - start).as("woken by the earlier ring, not by its timeout").isLessThan(limit);

            long nap = TimeUnit.MILLISECONDS.toNanos(100);
            start = System.nanoTime();
            Doorbell.sleep(nap);
            Doorbell.sleep(nap);
            assertThat(System.nanoTime() - start).as("a lone sleeper sleeps, with no ring left over: no busy loop")
                    .isGreaterThanOrEqualTo(nap);
        } finally {
            Doorbell.awake(me);
        }
    }

    @Test
    void aPublisherRingsASleepingProcessOnceUntilItWakesAndFreesTheSlotOfAProcessThatIsGone() {
        Sleepers s = sleepers(dir);
        int slot = s.enter();
        assertThat(slot).isBetween(0, Sleepers.SLOTS - 1);
        assertThat(s.slotForTest(slot)).isEqualTo(Doorbell.pid() << 1);

        s.wake();
        assertThat(s.slotForTest(slot)).as("rung").isEqualTo(Doorbell.pid() << 1 | 1);
        s.wake(); // rung already: nothing more until the sleeper marks itself asleep again
        assertThat(s.rearm(slot)).isEqualTo(slot);
        assertThat(s.slotForTest(slot)).isEqualTo(Doorbell.pid() << 1);
        s.leave(slot);
        assertThat(s.slotForTest(slot)).isZero();

        long gone = ProcessHandle.current().pid() + 4_000_000; // above Linux's largest pid: no bell there
        s.setSlotForTest(3, gone << 1);
        s.wake();
        assertThat(s.slotForTest(3)).as("freed: nobody answers the bell of a process that is gone").isZero();
    }

    @Test
    void aSleeperWithoutADoorbellDirectoryTakesNoSlotAndWaitsWithTimedSleeps() {
        Sleepers none = sleepers(null);
        assertThat(none.enter()).isEqualTo(-1);
        Idle idle = Idle.forQueue(none, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
        while (System.nanoTime() < end) {
            idle.idle(); // spins, then timed parks: returns every time
        }
        idle.done();
    }

    @Test
    void everySlotTakenLeavesTheNextSleeperOnTimedSleeps() {
        Sleepers s = sleepers(dir);
        for (int i = 0; i < Sleepers.SLOTS; i++) {
            assertThat(s.enter()).isEqualTo(i);
        }
        assertThat(s.enter()).isEqualTo(-1);
        for (int i = 0; i < Sleepers.SLOTS; i++) {
            s.leave(i);
        }
        assertThat(s.enter()).isZero();
    }
}
