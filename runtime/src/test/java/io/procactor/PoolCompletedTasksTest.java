package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Pool#completedTasks()}: every task counts once, results and failures alike, before its future completes. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PoolCompletedTasksTest {
    @Test
    void countsEveryItemOfMapsAndEverySubmitOnceWhetherItSucceededOrFailed() throws Exception {
        try (ActorSystem system = ActorSystem.create("completed-tasks");
             Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).chunkSize(7))) {
            assertThat(pool.completedTasks()).isZero();

            List<Integer> inputs = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
            pool.map(inputs, Timeouts.seconds(60));
            assertThat(pool.completedTasks()).isEqualTo(1000); // counted before map returned

            CompletableFuture<Integer> failing = pool.submit(-1);
            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(pool.completedTasks()).isEqualTo(1001);

            // a failed item in a map counts like the others
            assertThatThrownBy(() -> pool.map(List.of(1, -2, 3), Timeouts.seconds(30))).isInstanceOf(RemoteActorException.class);
            assertThat(pool.completedTasks()).isEqualTo(1004);

            int n = 0;
            for (Object ignored : pool.mapUnordered(List.of(4, 5), Timeouts.seconds(30))) {
                n++;
            }
            assertThat(n).isEqualTo(2);
            assertThat(pool.completedTasks()).isEqualTo(1006);
        }
    }

    @Test
    void aBroadcastTaskCountsOnceThoughEveryWorkerRunsIt() throws Exception {
        try (ActorSystem system = ActorSystem.create("completed-broadcast");
             Pool pool = system.pool(Props.create(TestActors.Doubler.class), PoolOptions.size(2).routing(Routing.BROADCAST))) {
            List<Integer> both = pool.<List<Integer>>submit(21).get(30, TimeUnit.SECONDS);
            assertThat(both).containsExactly(42, 42);
            assertThat(pool.completedTasks()).isEqualTo(1);
        }
    }
}
