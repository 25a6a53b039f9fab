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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Pool#close()}, {@link Pool#terminate()} and {@link Pool#join}: Python's close/terminate/join. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PoolShutdownTest {
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("pool-shutdown-test");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void terminateFailsPendingTasksAtOnceAndKillsTheWorkers() throws Exception {
        Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("terminated"));
        List<ActorProcess> workers = pool.workers();
        PoolActors.awaitReady(pool);
        List<CompletableFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fs.add(pool.submit(Duration.ofSeconds(60))); // 2 running, 4 queued
        }
        Iterator<String> unordered = pool.<String>mapUnordered(List.of(ms(60_000)), Timeouts.seconds(120)).iterator();

        pool.terminate();

        for (CompletableFuture<String> f : fs) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ActorTerminatedException.class);
        }
        assertThatThrownBy(unordered::next).isInstanceOf(ActorTerminatedException.class);
        assertThat(pool.join(Timeouts.seconds(10))).isTrue();
        assertThat(workers).hasSize(2).noneMatch(ActorProcess::isAlive);
        assertThat(workers).allSatisfy(w -> assertThat(w.exitStatus()).hasValueSatisfying(s ->
                assertThat(s.reason()).isEqualTo(ExitStatus.Reason.KILLED)));
        assertThat(pool.workers()).isEmpty();

        assertThatThrownBy(() -> pool.submit(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pool.map(List.of(1), Timeouts.seconds(5))).isInstanceOf(IllegalStateException.class);
        pool.terminate(); // again: nothing happens
        pool.close();     // after terminate: returns at once
    }

    @Test
    void closeLetsQueuedTasksFinishThenStopsTheWorkers() throws Exception {
        Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("closed"));
        List<ActorProcess> workers = pool.workers();
        PoolActors.awaitReady(pool);
        assertThatThrownBy(() -> pool.join(Timeouts.seconds(1)))
                .as("join before close").isInstanceOf(IllegalStateException.class);

        List<CompletableFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fs.add(pool.submit(ms(500)));
        }
        assertThat(pool.queued()).as("work pulling keeps tasks on the node until a worker is free").isBetween(1, 4);
        CompletableFuture<List<Integer>> mapped = pool.mapAsync(List.of(1, 2, 3));

        pool.close();

        assertThat(fs).allSatisfy(f -> assertThat(f).isCompletedWithValue("slept 500"));
        assertThat(mapped).isCompletedWithValue(List.of(2, 4, 6));
        assertThat(workers).noneMatch(ActorProcess::isAlive);
        assertThat(workers).allSatisfy(w -> assertThat(w.exitStatus()).hasValueSatisfying(s -> assertThat(s.isClean()).isTrue()));
        assertThat(pool.join(ms(100))).isTrue();

        assertThatThrownBy(() -> pool.submit(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        pool.close(); // again: returns at once
    }

    @Test
    void closeWaitsForAWorkerThatDiesWhileDraining() throws Exception {
        Pool pool = system.pool(Props.create(PoolActors.PidReporter.class), PoolOptions.size(2).retries(1).name("close-kill"));
        List<Long> pids = PoolActors.awaitReady(pool);
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fs.add(pool.submit(ms(400)));
        }
        Thread closer = new Thread(pool::close, "closer");
        closer.start();
        ProcessHandle.of(pids.get(0)).orElseThrow().destroyForcibly();
        closer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        for (CompletableFuture<Long> f : fs) {
            assertThat(f).isDone();
            assertThat(f.get()).isNotNull();
        }
        assertThat(pool.join(ms(100))).isTrue();
    }
}
