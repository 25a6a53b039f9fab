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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How each {@link Routing} spreads tasks over the workers, the pool's ref, and the initializer. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PoolRoutingTest {
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("pool-routing-test");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static Pool pidPool(String name, PoolOptions options) {
        return system.pool(Props.create(PoolActors.PidReporter.class), options.name(name));
    }

    private static <T> List<T> getAll(List<CompletableFuture<T>> fs) throws Exception {
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> f : fs) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    private static Map<Long, Long> countByPid(List<Long> pids) {
        return pids.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void roundRobinGivesEachWorkerTheSameNumberOfTasks() throws Exception {
        try (Pool pool = pidPool("rr", PoolOptions.size(3).routing(Routing.ROUND_ROBIN))) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                fs.add(pool.submit(i));
            }
            Map<Long, Long> counts = countByPid(getAll(fs));
            assertThat(counts).hasSize(3).allSatisfy((pid, n) -> assertThat(n).isEqualTo(10L));
        }
    }

    @Test
    void randomUsesEveryWorker() throws Exception {
        try (Pool pool = pidPool("random", PoolOptions.size(3).routing(Routing.RANDOM))) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                fs.add(pool.submit(i));
            }
            List<Long> pids = getAll(fs);
            assertThat(new HashSet<>(pids)).hasSize(3);
            assertThat(pool.<Long>map(List.of(1, 2, 3), Timeouts.seconds(30))).hasSize(3);
        }
    }

    @Test
    void leastLoadedAvoidsTheBusyWorker() throws Exception {
        try (Pool pool = pidPool("least-loaded", PoolOptions.size(3).routing(Routing.LEAST_LOADED))) {
            PoolActors.awaitReady(pool);
            CompletableFuture<Long> busy = pool.submit(Duration.ofSeconds(4));
            List<Long> shortOnes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                shortOnes.add(pool.<Long>submit(i).get(30, TimeUnit.SECONDS));
            }
            long busyPid = busy.get(30, TimeUnit.SECONDS);
            assertThat(shortOnes).as("short tasks sent while worker %d was busy", busyPid).doesNotContain(busyPid);
        }
    }

    @Test
    void consistentHashingKeepsEachKeyOnOneWorkerEvenAcrossAReplacement() throws Exception {
        try (Pool pool = pidPool("hashing", PoolOptions.size(3).routing(Routing.CONSISTENT_HASHING))) {
            List<Object> keys = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (int k = 0; k < 30; k++) {
                    keys.add("key-" + k);
                }
            }
            Map<Object, Long> owner = ownersOf(pool, keys);
            assertThat(new HashSet<>(owner.values())).as("all workers get keys").hasSize(3);

            // kill one worker: its keys go to its replacement, every other key stays where it was
            ActorProcess victim = pool.workers().get(0);
            long victimPid = victim.pid();
            assertThat(owner).containsValue(victimPid);
            ProcessHandle.of(victimPid).orElseThrow().destroyForcibly();
            await().atMost(Timeouts.seconds(30)).until(() -> pool.workers().size() == 3
                    && pool.workers().stream().allMatch(ActorProcess::isAlive)
                    && pool.workers().get(0).pid() != victimPid);
            long replacementPid = pool.workers().get(0).pid();

            Map<Object, Long> after = ownersOf(pool, keys);
            for (Map.Entry<Object, Long> e : owner.entrySet()) {
                long expected = e.getValue() == victimPid ? replacementPid : e.getValue();
                assertThat(after.get(e.getKey())).as("worker of key %s", e.getKey()).isEqualTo(expected);
            }
        }
    }

    @Test
    void consistentHashingSpreadsSmallIntegerKeysOverAllWorkers() throws Exception {
        try (Pool pool = pidPool("hashing-ints", PoolOptions.size(3).routing(Routing.CONSISTENT_HASHING))) {
            List<Object> keys = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (int k = 0; k < 30; k++) {
                    keys.add(k);
                }
            }
            Map<Object, Long> owner = ownersOf(pool, keys);
            assertThat(new HashSet<>(owner.values())).as("all workers get keys").hasSize(3);
        }
    }

    /** Submits every key (each may appear several times) and returns the one pid that served each key. */
    private static Map<Object, Long> ownersOf(Pool pool, List<Object> keys) throws Exception {
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        for (Object k : keys) {
            fs.add(pool.submit(k));
        }
        List<Long> pids = getAll(fs);
        Map<Object, Set<Long>> servedBy = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            servedBy.computeIfAbsent(keys.get(i), k -> new HashSet<>()).add(pids.get(i));
        }
        Map<Object, Long> owner = new HashMap<>();
        servedBy.forEach((k, ps) -> {
            assertThat(ps).as("workers that served key %s", k).hasSize(1);
            owner.put(k, ps.iterator().next());
        });
        return owner;
    }

    @Test
    void broadcastSendsEveryTaskToEveryWorker() throws Exception {
        try (Pool pool = pidPool("broadcast", PoolOptions.size(3).routing(Routing.BROADCAST))) {
            List<Long> pids = pool.<List<Long>>submit("pid").get(60, TimeUnit.SECONDS);
            Set<Long> workerPids = pool.workers().stream().map(ActorProcess::pid).collect(Collectors.toSet());
            assertThat(pids).hasSize(3).doesNotHaveDuplicates();
            assertThat(new HashSet<>(pids)).isEqualTo(workerPids);

            assertThatThrownBy(() -> pool.map(List.of(1, 2), Timeouts.seconds(5))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.mapAsync(List.of(1, 2))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> pool.mapUnordered(List.of(1, 2), Timeouts.seconds(5))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void broadcastFailsWhenAnyWorkerFails() throws Exception {
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class),
                PoolOptions.size(2).routing(Routing.BROADCAST).name("broadcast-fail"))) {
            assertThat(pool.<List<Integer>>submit(4).get(60, TimeUnit.SECONDS)).containsExactly(8, 8);
            assertThatThrownBy(() -> pool.submit(-4).get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(RemoteActorException.class).hasMessageContaining("negative input [-4]");
        }
    }

    @Test
    void poolRefRoutesAsksAndTellsToAWorker() throws Exception {
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("via-ref"))) {
            ActorRef ref = pool.ref();
            assertThat(ref.<Integer>ask(21, Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo(42);

            Set<Long> workerPids = pool.workers().stream().map(ActorProcess::pid).collect(Collectors.toSet());
            assertThat(ref.<Long>ask("pid", Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS)).isIn(workerPids);

            assertThatThrownBy(() -> ref.ask(-1, Timeouts.seconds(30)).get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(RemoteActorException.class).hasMessageContaining("negative input [-1]");

            CompletableFuture<Object> received = new CompletableFuture<>();
            ActorRef catcher = system.actorOf(Props.create(PoolActors.ReplyCatcher.class, received), "pool-ref-catcher");
            ref.tell(5, catcher);
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(10);
        }
    }

    @Test
    void everyWorkerRunsTheInitializerBeforeItsFirstTask() throws Exception {
        try (Pool pool = system.pool(Props.create(PoolActors.Initialized.class),
                PoolOptions.size(3).routing(Routing.ROUND_ROBIN).initializer("init:config").name("initialized"))) {
            List<CompletableFuture<String>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(pool.submit("init?"));
            }
            List<String> replies = getAll(fs);
            assertThat(replies.stream().map(r -> r.substring(0, r.indexOf('|'))).collect(Collectors.toSet())).hasSize(3);
            assertThat(replies).allSatisfy(r -> assertThat(r).endsWith("|init:config"));

            // the workers' replies to the initializer are dropped, never routed back into the pool as tasks
            List<String> more = pool.map(List.of("init?", "init?", "init?", "init?", "init?", "init?"), Timeouts.seconds(30));
            assertThat(more).allSatisfy(r -> assertThat(r).endsWith("|init:config"));
        }
    }

    @Test
    void replacementWorkersRunTheInitializerToo() throws Exception {
        try (Pool pool = system.pool(Props.create(PoolActors.Initialized.class),
                PoolOptions.size(2).maxTasksPerChild(2).chunkSize(1).initializer("init:again").name("initialized-recycled"))) {
            List<String> replies = pool.map(List.of("init?", "init?", "init?", "init?", "init?", "init?"), Timeouts.seconds(90));
            assertThat(replies.stream().map(r -> r.substring(0, r.indexOf('|'))).collect(Collectors.toSet()))
                    .as("6 tasks, 2 per worker").hasSizeGreaterThanOrEqualTo(3);
            assertThat(replies).allSatisfy(r -> assertThat(r).endsWith("|init:again"));
        }
    }
}
