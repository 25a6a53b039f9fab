package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pool never hangs and says what was lost: replies and inputs that cannot be serialized fail
 * their own tasks at once, a failed map names its failed inputs and whether retries ran out, and
 * resent work survives workers killed while a map runs.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class PoolLossTest {
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("pool-loss-test");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    /** Not registered for serialization anywhere. */
    public record NotRegistered(int value) {
    }

    /** Doubles integers, but answers 13 with a {@link NotRegistered}, which cannot travel back. */
    public static final class RepliesUnregistered extends Actor {
        @Override
        protected void onReceive(Object message) {
            if ("pid".equals(message)) {
                reply(context().pid());
                return;
            }
            int n = (Integer) message;
            reply(n == 13 ? new NotRegistered(n) : (Object) (n * 2));
        }
    }

    private static Throwable failureOf(CompletableFuture<?> f, long seconds) throws Exception {
        try {
            Object v = f.get(seconds, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got [" + v + "]");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Runs {@code close()} on another thread and fails the test if it has not returned within {@code seconds}. */
    private static void closeWithin(Pool pool, long seconds) throws Exception {
        CompletableFuture.runAsync(pool::close).get(seconds, TimeUnit.SECONDS);
    }

    @Test
    void aReplyThatCannotBeSerializedFailsItsOwnTaskAtOnceAndThePoolClosesAfterwards() throws Exception {
        Pool pool = system.pool(Props.create(RepliesUnregistered.class), PoolOptions.size(2).name("unregistered-reply"));
        try {
            PoolActors.awaitReady(pool);
            List<Integer> inputs = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.map(inputs, Timeouts.seconds(60)))
                    .isInstanceOf(MessageSerializationException.class)
                    .hasMessageContaining("map of 1000 inputs on pool [unregistered-reply] failed: 1 of 1000 inputs failed")
                    .hasMessageContaining("first at indices [13]")
                    .hasMessageContaining(NotRegistered.class.getName())
                    .hasMessageContaining("register(NotRegistered.class, ID)");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("failed at once, not at the map's timeout")
                    .isLessThan(20);

            assertThat(failureOf(pool.submit(13), 20)).isInstanceOf(MessageSerializationException.class)
                    .hasMessageContaining("class [" + NotRegistered.class.getName() + "] is not registered")
                    .hasMessageContaining("procactor.serialization.classes");
            assertThat(pool.<Integer>submit(21).get(20, TimeUnit.SECONDS)).as("the worker goes on").isEqualTo(42);

            List<Object> seen = new ArrayList<>();
            Iterator<Integer> it = pool.<Integer>mapUnordered(List.of(12, 13, 14), Timeouts.seconds(30)).iterator();
            for (int i = 0; i < 3; i++) {
                try {
                    seen.add(it.next());
                } catch (MessageSerializationException e) {
                    seen.add("failed");
                }
            }
            assertThat(seen).containsExactlyInAnyOrder(24, "failed", 28);
        } finally {
            closeWithin(pool, 60);
        }
        assertThat(pool.join(Timeouts.seconds(1))).isTrue();
    }

    @Test
    void anInputThatCannotBeSerializedFailsItsOwnTaskAndTheOthersOfItsChunkRun() throws Exception {
        Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(1).chunkSize(5).name("unregistered-input"));
        try {
            PoolActors.awaitReady(pool);
            assertThat(failureOf(pool.submit(new NotRegistered(1)), 20)).isInstanceOf(MessageSerializationException.class)
                    .hasMessageContaining(NotRegistered.class.getName());

            List<Object> inputs = List.of(1, 2, new NotRegistered(3), 4, 5);
            assertThatThrownBy(() -> pool.map(inputs, Timeouts.seconds(30)))
                    .isInstanceOf(MessageSerializationException.class)
                    .hasMessageContaining("1 of 5 inputs failed; first at indices [2]")
                    .hasMessageContaining(NotRegistered.class.getName());
            List<Object> results = new ArrayList<>();
            for (Iterator<Object> it = pool.mapUnordered(inputs, Timeouts.seconds(30)).iterator(); it.hasNext(); ) {
                try {
                    results.add(it.next());
                } catch (MessageSerializationException e) {
                    results.add("failed");
                }
            }
            assertThat(results).as("the chunk's other inputs ran").containsExactlyInAnyOrder(2, 4, "failed", 8, 10);
        } finally {
            closeWithin(pool, 60);
        }
    }

    @Test
    void aMapThatLosesInputsToADeadWorkerSaysItWasAMapWhichInputsAndThatTheyWereNotResent() throws Exception {
        Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).chunkSize(1).name("map-lost"));
        try {
            List<Long> pids = PoolActors.awaitReady(pool);
            List<Duration> inputs = IntStream.range(0, 8).mapToObj(i -> Duration.ofMillis(400)).collect(Collectors.toList());
            long before = pool.completedTasks();
            CompletableFuture<List<String>> map = pool.mapAsync(inputs);
            await().atMost(Timeouts.seconds(30)).until(() -> pool.completedTasks() > before);
            assertThat(ProcessHandle.of(pids.get(0)).orElseThrow().destroyForcibly()).isTrue();

            assertThat(failureOf(map, 30)).isInstanceOfSatisfying(ActorTerminatedException.class,
                            e -> assertThat(e.exitStatus()).hasValueSatisfying(s -> assertThat(s.signal()).isEqualTo(9)))
                    .hasMessageContaining("map of 8 inputs on pool [map-lost] failed: 1 of 8 inputs failed; first at indices [")
                    .hasMessageContaining("exited: killed (signal 9)")
                    .hasMessageContaining("it was not resent (PoolOptions.retries is 0)")
                    .hasMessageNotContaining("Ask to");
        } finally {
            closeWithin(pool, 60);
        }
    }

    @Test
    void withRetriesAMapCompletesCorrectlyWhileAWorkerIsKilledEvery300Ms() throws Exception {
        Pool pool = system.pool(Props.create(TestActors.Doubler.class),
                PoolOptions.size(3).chunkSize(20).retries(10).name("killed-every-300ms"));
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger kills = new AtomicInteger();
        try {
            PoolActors.awaitReady(pool);
            // kill a worker that is up (a starting one holds no work) every 300 ms while the map runs
            killer.scheduleAtFixedRate(() -> {
                List<ActorProcess> up = pool.workers().stream()
                        .filter(w -> w.ready().isDone() && !w.ready().isCompletedExceptionally() && w.isAlive()).toList();
                if (!up.isEmpty()) {
                    ProcessHandle.of(up.get(ThreadLocalRandom.current().nextInt(up.size())).pid())
                            .ifPresent(p -> {
                                if (p.destroyForcibly()) {
                                    kills.incrementAndGet();
                                }
                            });
                }
            }, 0, 300, TimeUnit.MILLISECONDS);
            List<Integer> inputs = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
            List<Integer> out = pool.map(inputs, Timeouts.seconds(120));
            assertThat(out).isEqualTo(inputs.stream().map(i -> i * 2).collect(Collectors.toList()));
            assertThat(kills.get()).as("workers were killed during the map").isPositive();
        } finally {
            killer.shutdownNow();
            assertThat(killer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            closeWithin(pool, 60);
        }
    }
}
