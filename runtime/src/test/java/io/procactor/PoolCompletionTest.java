package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.PoolActors;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Results as they complete: {@link Futures#asCompleted}, {@link Pool#mapUnordered}, and work pulling with uneven tasks. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PoolCompletionTest {
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("pool-completion-test");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    /**
     * Python's as_completed example: sleeps of 5..1 steps on five workers come back shortest first,
     * in parallel. A step is 300 ms times the test time factor: the order holds as long as no task
     * is delayed by a whole step, which a busy 2-core machine can do to 200 ms.
     */
    @Test
    void asCompletedYieldsShortestSleepFirstAndTasksRunInParallel() throws Exception {
        long step = Timeouts.scaled(ms(300)).toMillis();
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(5).name("as-completed"))) {
            PoolActors.awaitReady(pool);
            long start = System.nanoTime();
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int steps = 5; steps >= 1; steps--) {
                futures.add(pool.submit(ms(steps * step)));
            }
            List<String> order = new ArrayList<>();
            for (CompletableFuture<String> f : Futures.asCompleted(futures, Timeouts.seconds(30))) {
                assertThat(f).isDone();
                order.add(f.join());
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(order).containsExactly("slept " + step, "slept " + 2 * step, "slept " + 3 * step,
                    "slept " + 4 * step, "slept " + 5 * step);
            assertThat(elapsedMs)
                    .as("five sleeps summing to 15 steps ran in parallel on five workers")
                    .isGreaterThanOrEqualTo(5 * step)
                    .isLessThan(12 * step + step / 2);
        }
    }

    @Test
    void asCompletedTimeoutSaysHowManyFuturesAreUnfinished() {
        CompletableFuture<String> done = CompletableFuture.completedFuture("done");
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> alsoNever = new CompletableFuture<>();
        Iterator<CompletableFuture<String>> it =
                Futures.asCompleted(List.of(never, done, alsoNever), ms(300)).iterator();

        assertThat(it.hasNext()).isTrue();
        assertThat(it.next()).isSameAs(done);
        assertThat(it.hasNext()).isTrue();
        long start = System.nanoTime();
        assertThatThrownBy(it::next)
                .isInstanceOfSatisfying(Futures.AsCompletedTimeoutException.class, e -> assertThat(e.unfinished()).isEqualTo(2))
                .isInstanceOf(ActorException.class)
                .hasMessageContaining("2 (of 3) futures unfinished")
                .hasMessageContaining("300 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);

        // a future that completes late is still handed out
        never.complete("late");
        assertThat(it.next()).isSameAs(never);
    }

    @Test
    void asCompletedHandsOutFailedFuturesToo() {
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("boom"));
        CompletableFuture<String> ok = new CompletableFuture<>();
        List<CompletableFuture<String>> seen = new ArrayList<>();
        ok.complete("ok");
        Futures.asCompleted(List.of(failed, ok)).forEach(seen::add);
        assertThat(seen).containsExactlyInAnyOrder(failed, ok);
    }

    @Test
    void mapUnorderedYieldsEveryResultExactlyOnce() throws Exception {
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(3).name("unordered"))) {
            List<Integer> inputs = IntStream.range(0, 500).boxed().collect(Collectors.toList());
            List<Integer> out = new ArrayList<>();
            for (Integer r : pool.<Integer>mapUnordered(inputs, Timeouts.seconds(60))) {
                out.add(r);
            }
            assertThat(out).containsExactlyInAnyOrderElementsOf(inputs.stream().map(i -> i * 2).collect(Collectors.toList()));

            // shortest first: a result is yielded as soon as it exists, not in input order. Work only goes to
            // workers that are up, and the first one up may have done the whole map above: wait for all three,
            // or both sleeps could go to that one worker, one after the other
            PoolActors.awaitReady(pool);
            List<String> sleeps = new ArrayList<>();
            for (String r : pool.<String>mapUnordered(List.of(ms(1500), ms(50)), Timeouts.seconds(30))) {
                sleeps.add(r);
            }
            assertThat(sleeps).containsExactly("slept 50", "slept 1500");

            // a failing item surfaces from next(), the others are still yielded
            Iterator<Integer> it = pool.<Integer>mapUnordered(List.of(1, -1, 3), Timeouts.seconds(30)).iterator();
            List<Object> outcomes = new ArrayList<>();
            while (it.hasNext()) {
                try {
                    outcomes.add(it.next());
                } catch (RemoteActorException e) {
                    outcomes.add(e.remoteMessage());
                }
            }
            assertThat(outcomes).containsExactlyInAnyOrder(2, "negative input [-1]", 6);

            assertThat(pool.<Integer>mapUnordered(List.of(), Timeouts.seconds(1))).isEmpty();
        }
    }

    @Test
    void mapUnorderedTimeoutSaysHowManyResultsAreMissing() {
        Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("unordered-timeout"));
        try {
            Iterator<String> it = pool.<String>mapUnordered(List.of("silent", "silent"), ms(1500)).iterator();
            assertThatThrownBy(it::next).isInstanceOf(AskTimeoutException.class).hasMessageContaining("2 results missing");
        } finally {
            pool.terminate(); // close() would wait for the tasks that never reply
        }
    }

    /**
     * Work pulling with uneven tasks: round robin would give one worker all long sleeps
     * (1000+1000+800+600+400 = 3800 ms); a free worker taking the next task finishes in about
     * half the total (4800 / 2).
     */
    @Test
    void workPullingBalancesUnevenTasks() throws Exception {
        long[] sleeps = {1000, 200, 1000, 200, 800, 200, 600, 200, 400, 200};
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("uneven"))) {
            PoolActors.awaitReady(pool);
            long start = System.nanoTime();
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (long s : sleeps) {
                futures.add(pool.submit(ms(s)));
            }
            for (int i = 0; i < sleeps.length; i++) {
                assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("slept " + sleeps[i]);
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs)
                    .as("well below round robin's 3800 ms, at least half the 4800 ms total")
                    .isGreaterThanOrEqualTo(2400)
                    .isLessThan(3400);
        }
    }
}
