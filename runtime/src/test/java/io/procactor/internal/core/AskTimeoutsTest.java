package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link AskTimeouts}: an entry expires at its deadline, never before and exactly once, unless it
 * was cancelled first; the tick runs only while there is something to do, and not at all when no
 * ask is pending. Manual time in one thread, then the real scheduler under concurrent asks.
 */
class AskTimeoutsTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final AskTimeouts timeouts = new AskTimeouts(scheduler, scheduler.ticker());

    /** An entry that counts its expiries and notes the time of the first. */
    private static final class Probe extends AskTimeouts.Entry {
        final AtomicInteger expired = new AtomicInteger();
        final Ticker ticker;
        volatile long expiredAt;
        volatile boolean answered;

        Probe(long deadline, Ticker ticker) {
            super(deadline);
            this.ticker = ticker;
        }

        @Override
        void expire() {
            if (expired.getAndIncrement() == 0) {
                expiredAt = ticker.nanoTime();
            }
        }
    }

    private Probe add(Duration timeout) {
        Probe p = new Probe(timeouts.deadline(timeout), scheduler.ticker());
        timeouts.add(p);
        return p;
    }

    @Test
    void entriesExpireAtTheirDeadlinesNotBeforeAndOnce() {
        Probe late = add(Duration.ofSeconds(5));
        Probe soon = add(Duration.ofMillis(3)); // earlier than the planned tick: moves it earlier
        scheduler.advance(Duration.ofMillis(2));
        Probe middle = add(Duration.ofMillis(998)); // due at 1 s

        scheduler.advance(Duration.ofNanos(999_999));
        assertThat(soon.expired).hasValue(0);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(soon.expired).hasValue(1);
        assertThat(soon.expiredAt).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));

        scheduler.advance(Duration.ofMillis(996));
        assertThat(middle.expired).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(middle.expired).hasValue(1);
        assertThat(late.expired).hasValue(0);

        scheduler.advance(Duration.ofMillis(3999));
        assertThat(late.expired).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(List.of(soon.expired.get(), middle.expired.get(), late.expired.get())).containsExactly(1, 1, 1);
        assertThat(late.expiredAt).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(timeouts.armed()).isZero();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aTimeoutOfZeroOrLessIsOneMillisecondAndAnEnormousOneNeverOverflows() {
        Probe zero = add(Duration.ZERO);
        Probe negative = add(Duration.ofSeconds(-5));
        Probe forever = add(Duration.ofDays(1_000_000_000L));

        scheduler.advance(Duration.ofNanos(999_999));
        assertThat(zero.expired).hasValue(0);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(zero.expired).hasValue(1);
        assertThat(negative.expired).hasValue(1);
        scheduler.advance(Duration.ofDays(365));
        assertThat(forever.expired).hasValue(0);
        assertThat(timeouts.cancel(forever)).isTrue();
    }

    @Test
    void aCancelledEntryNeverExpiresWhetherTheTickHadSeenItOrNot() {
        Probe unseen = add(Duration.ofSeconds(1));
        Probe seen = add(Duration.ofSeconds(1));
        assertThat(timeouts.cancel(unseen)).isTrue();
        scheduler.advance(Duration.ofMillis(20)); // a tick takes `seen` into its heap
        assertThat(timeouts.armed()).isOne();
        assertThat(timeouts.cancel(seen)).isTrue();
        assertThat(timeouts.cancel(seen)).isFalse();

        scheduler.advance(Duration.ofMillis(20)); // the next tick lets it go
        assertThat(timeouts.armed()).isZero();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(unseen.expired).hasValue(0);
        assertThat(seen.expired).hasValue(0);
        assertThat(scheduler.failures()).isEmpty();
    }

    @Test
    void anExpiredEntryCannotBeCancelled() {
        Probe p = add(Duration.ofMillis(5));
        scheduler.advance(Duration.ofMillis(5));
        assertThat(p.expired).hasValue(1);
        assertThat(timeouts.cancel(p)).isFalse();
    }

    @Test
    void withNoAskPendingTheTickIsNotPlannedAndNothingWakes() {
        assertThat(scheduler.pending()).isZero();
        assertThat(scheduler.advance(Duration.ofHours(1))).isZero();

        for (int i = 0; i < 1000; i++) { // asks answered before any tick
            timeouts.cancel(add(Duration.ofSeconds(30)));
        }
        assertThat(scheduler.pending()).isOne(); // one tick for them all
        assertThat(scheduler.advance(Duration.ofMillis(100))).isEqualTo(2); // drops them; one more finds nothing new
        assertThat(scheduler.pending()).isZero();
        assertThat(scheduler.advance(Duration.ofHours(1))).isZero();
    }

    @Test
    void whileAnAskWaitsQuietlyTheTickWaitsForItsDeadline() {
        Probe waiting = add(Duration.ofMinutes(10));
        scheduler.advance(Duration.ofMillis(100)); // it is taken into the heap; the ticks then stop
        assertThat(scheduler.advance(Duration.ofMinutes(9))).isZero();
        assertThat(scheduler.advance(Duration.ofMinutes(1))).isOne();
        assertThat(waiting.expired).hasValue(1);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void anExpiryThatThrowsDoesNotStopTheOthers() {
        AskTimeouts.Entry throwing = new AskTimeouts.Entry(timeouts.deadline(Duration.ofMillis(10))) {
            @Override
            void expire() {
                throw new IllegalStateException("expiry failed");
            }
        };
        timeouts.add(throwing);
        Probe same = add(Duration.ofMillis(10));
        Probe later = add(Duration.ofMillis(50));

        scheduler.advance(Duration.ofMillis(100));

        assertThat(same.expired).hasValue(1);
        assertThat(later.expired).hasValue(1);
        assertThat(scheduler.failures()).hasSize(1);
    }

    @Test
    void concurrentAsksOnTheRealSchedulerEachEndExactlyOnceAndNothingWakesAfterwards() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        SystemScheduler real = new SystemScheduler("ask-timeouts-test");
        Scheduler counting = new Scheduler() {
            @Override
            public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
                return real.schedule(() -> {
                    ticks.incrementAndGet();
                    task.run();
                }, delay, unit);
            }

            @Override
            public Future<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
                throw new UnsupportedOperationException();
            }
        };
        AskTimeouts live = new AskTimeouts(counting, Ticker.SYSTEM);
        int threads = 4;
        int perThread = 20_000;
        AtomicLong early = new AtomicLong();
        List<Probe> expiring = new ArrayList<>();
        List<Probe> answered = new ArrayList<>();
        List<List<Probe>> byThread = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        try {
            for (int t = 0; t < threads; t++) {
                List<Probe> mine = new ArrayList<>();
                byThread.add(mine);
                new Thread(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                        Probe p = new Probe(live.deadline(Duration.ofMillis(r.nextInt(1, 60))), Ticker.SYSTEM);
                        live.add(p);
                        mine.add(p);
                        if (r.nextInt(4) != 0) { // three in four are answered (some too late: expired first)
                            p.answered = live.cancel(p);
                        }
                    }
                    done.countDown();
                }, "asker-" + t).start();
            }
            assertThat(done.await(Timeouts.seconds(30).toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            for (List<Probe> mine : byThread) {
                for (Probe p : mine) {
                    (p.answered ? answered : expiring).add(p);
                }
            }
            await().atMost(Timeouts.seconds(10)).until(() -> expiring.stream().allMatch(p -> p.expired.get() > 0));
            for (Probe p : expiring) {
                assertThat(p.expired).hasValue(1);
                if (p.expiredAt < p.deadline) {
                    early.incrementAndGet();
                }
            }
            assertThat(early).hasValue(0);
            assertThat(answered).allMatch(p -> p.expired.get() == 0);
            assertThat(expiring.size() + answered.size()).isEqualTo(threads * perThread);
            assertThat(expiring).isNotEmpty();

            // no ask pending: once the last ticks have let them go, nothing runs any more
            await().atMost(Timeouts.seconds(5)).until(() -> live.armed() == 0);
            AtomicInteger last = new AtomicInteger(-1);
            await().atMost(Timeouts.seconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> last.getAndSet(ticks.get()) == ticks.get()); // 100 ms (five drain intervals) without a tick
            int settled = ticks.get();
            await().during(Duration.ofMillis(300)).atMost(Timeouts.seconds(2)).until(() -> ticks.get() == settled);
        } finally {
            real.shutdown();
        }
    }
}
