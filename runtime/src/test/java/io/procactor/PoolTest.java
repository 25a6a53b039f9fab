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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PoolTest {
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("pool-test");
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void mapReturnsResultsInInputOrder() throws Exception {
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("ordered"))) {
            List<Integer> inputs = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
            List<Integer> out = pool.map(inputs, Timeouts.seconds(30));
            assertThat(out).isEqualTo(inputs.stream().map(i -> i * 2).collect(Collectors.toList()));
            List<Integer> one = pool.map(inputs.subList(0, 50), Timeouts.seconds(30));
            assertThat(one).hasSize(50).startsWith(0, 2, 4);
            CompletableFuture<Integer> f = pool.submit(21);
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    /**
     * Chunking must neither drop, duplicate nor reorder items, whatever the chunk size (10,000 is not
     * a multiple of 7; a chunk size beyond the input is one chunk, and once overflowed the count of chunks).
     */
    @ParameterizedTest(name = "chunkSize {0}")
    @ValueSource(ints = {1, 7, 0, Integer.MAX_VALUE})
    void mapOfTenThousandItemsIsCompleteAndInOrderForEveryChunkSize(int chunkSize) throws Exception {
        List<Integer> inputs = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
        List<Integer> expected = inputs.stream().map(i -> i * 2).collect(Collectors.toList());
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class),
                PoolOptions.size(2).chunkSize(chunkSize).name("chunks-" + chunkSize))) {
            List<Integer> out = pool.map(inputs, Timeouts.seconds(60));
            assertThat(out).isEqualTo(expected);

            List<Integer> viaAsync = pool.<Integer>mapAsync(inputs).get(60, TimeUnit.SECONDS);
            assertThat(viaAsync).isEqualTo(expected);

            assertThat(pool.<Integer>map(List.of(), Timeouts.seconds(5))).isEmpty();
            assertThat(pool.<Integer>map(List.of(5), Timeouts.seconds(10))).containsExactly(10);
            assertThat(pool.queued()).isZero();
        }
    }

    @Test
    void mapTimeoutSaysHowManyResultsAreMissing() throws Exception {
        // round robin: the two silent items go to one worker, the others to the other (work pulling would let a
        // worker stuck on a silent item leave later items queued, so the missing count would depend on timing)
        Pool pool = system.pool(Props.create(TestActors.Doubler.class),
                PoolOptions.size(2).chunkSize(1).routing(Routing.ROUND_ROBIN).name("map-timeout"));
        try {
            assertThat(pool.<Integer>map(List.of(1, 2), Timeouts.seconds(60))).containsExactly(2, 4);
            assertThatThrownBy(() -> pool.map(List.of("silent", 1, "silent", 2), Duration.ofMillis(1500)))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class)
                    .hasMessageContaining("map of 4 items")
                    .hasMessageContaining("1500 ms")
                    .hasMessageContaining("2 results were missing");
        } finally {
            pool.terminate(); // close() would wait for the tasks that never reply
        }
    }

    @Test
    void failingTaskFailsOnlyItsFutureAndThePoolKeepsWorking() throws Exception {
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("failing"))) {
            Set<Long> pidsBefore = Set.copyOf(PoolActors.awaitReady(pool));

            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = -10; i < 10; i++) {
                fs.add(pool.submit(i));
            }
            for (int i = -10; i < 10; i++) {
                CompletableFuture<Integer> f = fs.get(i + 10);
                if (i < 0) {
                    int input = i;
                    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                            .cause()
                            .isInstanceOfSatisfying(RemoteActorException.class, e -> {
                                assertThat(e.remoteClassName()).isEqualTo(IllegalArgumentException.class.getName());
                                assertThat(e.remoteMessage()).isEqualTo("negative input [" + input + "]");
                                assertThat(e.remoteStackTrace())
                                        .contains("IllegalArgumentException")
                                        .contains("TestActors$Doubler.onReceive");
                                assertThat(e.actorPath()).contains("failing-");
                            });
                } else {
                    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(i * 2);
                }
            }

            // map throws the failure of the first failing item in input order
            assertThatThrownBy(() -> pool.map(List.of(1, 2, -5, -6), Timeouts.seconds(10)))
                    .isInstanceOf(RemoteActorException.class).hasMessageContaining("[-5]");

            // the same workers (no restart) go on serving tasks and maps
            List<Integer> inputs = IntStream.range(0, 200).boxed().collect(Collectors.toList());
            assertThat(pool.<Integer>map(inputs, Timeouts.seconds(30)))
                    .isEqualTo(inputs.stream().map(i -> i * 2).collect(Collectors.toList()));
            assertThat(pool.<Integer>submit(4).get(10, TimeUnit.SECONDS)).isEqualTo(8);
            assertThat(pool.workers()).hasSize(2).allMatch(ActorProcess::isAlive);
            assertThat(pool.workers().stream().map(ActorProcess::pid).collect(Collectors.toSet())).isEqualTo(pidsBefore);
        }
    }
}
