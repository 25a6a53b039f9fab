package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.TestActors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
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
            List<Integer> out = pool.map(inputs, Duration.ofSeconds(30));
            assertThat(out).isEqualTo(inputs.stream().map(i -> i * 2).collect(Collectors.toList()));
            List<Integer> one = pool.map(inputs.subList(0, 50), Duration.ofSeconds(30));
            assertThat(one).hasSize(50).startsWith(0, 2, 4);
            CompletableFuture<Integer> f = pool.submit(21);
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    @Test
    void failingTaskFailsOnlyItsFuture() throws Exception {
        try (Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).name("failing"))) {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i : new int[] {1, -1, 3}) {
                fs.add(pool.submit(i));
            }
            assertThat(fs.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(fs.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(6);
            assertThatThrownBy(() -> fs.get(1).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RemoteActorException.class)
                    .hasMessageContaining("negative input");
            assertThatThrownBy(() -> pool.map(List.of(1, 2, -5, -6), Duration.ofSeconds(10)))
                    .isInstanceOf(RemoteActorException.class).hasMessageContaining("[-5]");
        }
    }
}
