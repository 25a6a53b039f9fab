package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link AskTimeouts}: an entry expires at its deadline, never before and exactly once, unless it
 * was cancelled first; the tick runs only while there is something to do, and not at all when no
 * ask is pending. Manual time in one thread, then the real scheduler under concurrent asks.
 */
class AskTimeoutsTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Table table = new Table();
    private final AskTimeouts timeouts = new AskTimeouts(scheduler, scheduler.ticker(), table);

    /** The asks pending, by id, as the ask table keeps them. */
    private static final class Table implements AskTimeouts.Source {
        final AtomicLong ids = new AtomicLong();
        final Map<Long, AskTimeouts.Entry> pending = new ConcurrentHashMap<>();
        volatile boolean failNextLookUp;

        @Override
        public long lastId() {
            return ids.get();
        }

        @Override
        public AskTimeouts.Entry find(long id) {
            if (failNextLookUp) {
                failNextLookUp = false;
                throw new IllegalStateException("look-up failed");
            }
            return pending.get(id);
        }

        @Override
        public void forEach(Consumer<AskTimeouts.Entry> action) {
            pending.values().forEach(action);
        }

        /** Registers {@code entry} (built with the next id) as the ask table does, then starts its timeout. */
        <E extends AskTimeouts.Entry> E add(AskTimeouts t, E entry) {
            pending.put(entry.id, entry);
            t.add(entry);
            return entry;
        }

        /** Answers the ask as the table does: out of the table, then its timeout cancelled. */
        boolean answer(AskTimeouts t, AskTimeouts.Entry e) {
            pending.remove(e.id, e);
            return t.cancel(e);
        }
    }

    /** An entry that counts its expiries and notes the time of the first. */
    private static final class Probe extends AskTimeouts.Entry {
        final AtomicInteger expired = new AtomicInteger();
        final Ticker ticker;
        volatile long expiredAt;
        volatile boolean answered;

        Probe(long id, long deadline, Ticker ticker) {
            super(id, deadline);
            this.ticker = ticker;
        }

        @Override
        void expire() {
            if (expired.getAndIncrement() == 0) {
                expiredAt = ticker.nanoTime();
            }
            pendingIn.remove(id, this);
        }

        Map<Long, AskTimeouts.Entry> pendingIn = new ConcurrentHashMap<>();
    }

    private Probe add(Duration timeout) {
        Probe p = new Probe(table.ids.incrementAndGet(), timeouts.deadline(timeout), scheduler.ticker());
        p.pendingIn = table.pending;
        return table.add(timeouts, p);
    }

    private boolean answer(Probe p) {
        return table.answer(timeouts, p);
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
        Probe enormouslyNegative = add(Duration.ofDays(-1_000_000_000L));
        Probe forever = add(Duration.ofDays(1_000_000_000L));

        scheduler.advance(Duration.ofNanos(999_999));
        assertThat(zero.expired).hasValue(0);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(zero.expired).hasValue(1);
        assertThat(negative.expired).hasValue(1);
        assertThat(enormouslyNegative.expired).hasValue(1);
        scheduler.advance(Duration.ofDays(365));
        assertThat(forever.expired).hasValue(0);
        assertThat(answer(forever)).isTrue();
    }

    @Test
    void aCancelledEntryNeverExpiresWhetherTheTickHadSeenItOrNot() {
        Probe unseen = add(Duration.ofSeconds(1));
        Probe seen = add(Duration.ofSeconds(1));
        Probe early = add(Duration.ofMillis(10));
        assertThat(answer(unseen)).isTrue();
        scheduler.advance(Duration.ofMillis(10)); // the tick for `early` takes `seen` into its heap
        assertThat(early.expired).hasValue(1);
        assertThat(timeouts.armed()).isOne();
        assertThat(answer(seen)).isTrue();
        assertThat(answer(seen)).isFalse();

        scheduler.advance(Duration.ofSeconds(1)); // the tick planned for `seen` lets it go
        assertThat(timeouts.armed()).isZero();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(unseen.expired).hasValue(0);
        assertThat(seen.expired).hasValue(0);
        assertThat(scheduler.failures()).isEmpty();
    }

    @Test
    void anAskStoredAfterATickLookedForItsIdStillTimesOut() {
        Probe keeper = add(Duration.ofMillis(500));
        long unstored = table.ids.incrementAndGet(); // an asking thread has its id, and has not stored its ask yet
        Probe early = add(Duration.ofMillis(5));
        scheduler.advance(Duration.ofMillis(5)); // this tick looks up every id so far: the unstored one is not there
        assertThat(early.expired).hasValue(1);

        Probe late = new Probe(unstored, timeouts.deadline(Duration.ofSeconds(1)), scheduler.ticker());
        late.pendingIn = table.pending;
        table.add(timeouts, late); // a tick is planned before its deadline (keeper's), and will not look up its id again
        scheduler.advance(Duration.ofMillis(999));
        assertThat(keeper.expired).hasValue(1);
        assertThat(late.expired).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(late.expired).hasValue(1);
    }

    @Test
    void anAskStartedWhileTheTickRunsTimesOut() {
        Probe[] started = new Probe[1];
        table.add(timeouts, new AskTimeouts.Entry(table.ids.incrementAndGet(), timeouts.deadline(Duration.ofMillis(5))) {
            @Override
            void expire() { // a timeout handler that asks again, on the tick's thread
                Probe p = new Probe(table.ids.incrementAndGet(), timeouts.deadline(Duration.ofMillis(5)), scheduler.ticker());
                p.pendingIn = table.pending;
                started[0] = table.add(timeouts, p);
            }
        });
        Probe later = add(Duration.ofSeconds(1)); // keeps a tick planned after the new ask's deadline

        scheduler.advance(Duration.ofMillis(5));
        assertThat(started[0]).isNotNull();
        scheduler.advance(Duration.ofMillis(4));
        assertThat(started[0].expired).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(started[0].expired).hasValue(1);
        assertThat(later.expired).hasValue(0);
    }

    @Test
    void anExpiredEntryCannotBeCancelled() {
        Probe p = add(Duration.ofMillis(5));
        scheduler.advance(Duration.ofMillis(5));
        assertThat(p.expired).hasValue(1);
        assertThat(answer(p)).isFalse();
    }

    @Test
    void withNoAskPendingTheTickIsNotPlannedAndNothingWakes() {
        assertThat(scheduler.pending()).isZero();
        assertThat(scheduler.advance(Duration.ofHours(1))).isZero();

        for (int i = 0; i < 1000; i++) { // asks answered before any tick
            answer(add(Duration.ofSeconds(30)));
        }
        assertThat(scheduler.pending()).isOne(); // one tick for them all, at the first deadline
        assertThat(scheduler.advance(Duration.ofHours(1))).isOne(); // it finds none pending, and plans nothing
        assertThat(timeouts.armed()).isZero();
        assertThat(scheduler.pending()).isZero();
        assertThat(scheduler.advance(Duration.ofHours(1))).isZero();
    }

    @Test
    void whileAnAskWaitsQuietlyTheTickWaitsForItsDeadline() {
        Probe waiting = add(Duration.ofMinutes(10));
        assertThat(scheduler.advance(Duration.ofMinutes(9))).isZero();
        assertThat(scheduler.advance(Duration.ofMinutes(1))).isOne();
        assertThat(waiting.expired).hasValue(1);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void anExpiryThatThrowsDoesNotStopTheOthers() {
        table.add(timeouts, new AskTimeouts.Entry(table.ids.incrementAndGet(), timeouts.deadline(Duration.ofMillis(10))) {
            @Override
            void expire() {
                throw new IllegalStateException("expiry failed");
            }
        });
        Probe same = add(Duration.ofMillis(10));
        Probe later = add(Duration.ofMillis(50));

        scheduler.advance(Duration.ofMillis(100));

        assertThat(same.expired).hasValue(1);
        assertThat(later.expired).hasValue(1);
        assertThat(scheduler.failures()).hasSize(1);
    }

    @Test
    void aTickThatThrowsIsTriedAgainAndTheAskStillTimesOut() {
        Probe p = add(Duration.ofMillis(5));
        table.failNextLookUp = true;

        scheduler.advance(Duration.ofMillis(5)); // the tick fails before it finds the ask
        assertThat(p.expired).hasValue(0);
        assertThat(scheduler.failures()).hasSize(1);
        scheduler.advance(Duration.ofMillis(10));
        assertThat(p.expired).hasValue(1);
        assertThat(scheduler.pending()).isZero();
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
        Table liveTable = new Table();
        AskTimeouts live = new AskTimeouts(counting, Ticker.SYSTEM, liveTable);
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
                        Probe p = new Probe(liveTable.ids.incrementAndGet(), live.deadline(Duration.ofMillis(r.nextInt(1, 60))),
                                Ticker.SYSTEM);
                        p.pendingIn = liveTable.pending;
                        liveTable.add(live, p);
                        mine.add(p);
                        if (r.nextInt(4) != 0) { // three in four are answered (some too late: expired first)
                            p.answered = liveTable.answer(live, p);
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
