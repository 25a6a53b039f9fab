package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.Actor;
import io.procactor.Props;
import io.procactor.internal.config.Settings;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An actor's turn on a {@link ForkJoinPool} dispatcher: after {@code throughput} messages it
 * yields (resubmits itself) only when another task waits for the pool; with none waiting it goes
 * on (each resubmission woke another worker to take the turn over).
 */
class DispatcherTurnsTest {
    private static final int THROUGHPUT = 10;

    /** Counts submissions: the cells' turns and nothing else run on it. */
    private static final class CountingPool extends ForkJoinPool {
        final AtomicInteger submitted = new AtomicInteger();

        CountingPool() {
            super(1, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
        }

        @Override
        public void execute(Runnable task) {
            submitted.incrementAndGet();
            super.execute(task);
        }
    }

    private final CountingPool pool = new CountingPool();
    private final ManualTicker ticker = new ManualTicker();
    private final ProcessCore core = LoneCore.create("node",
            Settings.from(ConfigFactory.parseString("procactor.dispatcher.throughput = " + THROUGHPUT)
                    .withFallback(ConfigFactory.defaultReference()).resolve()),
            RuntimeExecutors.of(pool, new ManualScheduler(ticker), ticker));

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private ActorCell start(String name, Props props) {
        ActorCell cell = new ActorCell(core, name, null, props, pool, ticker);
        cell.start();
        return cell;
    }

    @Test
    void withNobodyWaitingAStreamIsOneTurn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        ActorCell a = start("a", Props.create(Gated.class, "a", seen, gate));
        await().atMost(Timeouts.seconds(10)).until(() -> seen.contains("a started"));
        a.enqueue(null, "hold", null); // the turn waits at the gate while the rest is queued
        for (int i = 0; i < 10 * THROUGHPUT; i++) {
            a.enqueue(null, i, null);
        }
        int before = pool.submitted.get();
        gate.countDown();
        await().atMost(Timeouts.seconds(10)).until(() -> seen.size() == 2 + 10 * THROUGHPUT);
        assertThat(pool.submitted.get()).as("no resubmission of the turn").isEqualTo(before);
    }

    @Test
    void aTurnYieldsAfterThroughputMessagesWhenAnotherTaskWaits() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        ActorCell a = start("a", Props.create(Gated.class, "a", seen, gate));
        ActorCell b = start("b", Props.create(Gated.class, "b", seen, new CountDownLatch(0)));
        await().atMost(Timeouts.seconds(10)).until(() -> seen.contains("a started") && seen.contains("b started"));
        a.enqueue(null, "hold", null);
        for (int i = 0; i < 10 * THROUGHPUT; i++) {
            a.enqueue(null, i, null);
        }
        b.enqueue(null, "b's", null); // b's turn waits on the pool behind a's
        int before = pool.submitted.get();
        gate.countDown();
        await().atMost(Timeouts.seconds(10)).until(() -> seen.size() == 4 + 10 * THROUGHPUT);
        // (a ForkJoinPool worker runs what it submitted itself first: on one thread, b still waits for a's stream)
        assertThat(pool.submitted.get() - before).as("a's turn yielded, every %d messages", THROUGHPUT).isGreaterThanOrEqualTo(1);
    }

    /** Records "name: message"; the message "hold" waits for the gate. */
    public static final class Gated extends Actor {
        private final String name;
        private final List<String> seen;
        private final CountDownLatch gate;

        public Gated(String name, List<String> seen, CountDownLatch gate) {
            this.name = name;
            this.seen = seen;
            this.gate = gate;
        }

        @Override
        protected void preStart() {
            seen.add(name + " started");
        }

        @Override
        protected void onReceive(Object message) throws Exception {
            if ("hold".equals(message)) {
                gate.await();
            }
            seen.add(name + ": " + message);
        }
    }
}
