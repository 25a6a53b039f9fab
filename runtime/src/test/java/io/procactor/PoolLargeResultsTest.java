package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.PoolActors;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A chunk whose results together are larger than a frame (64 KiB here, 8 MiB by default) comes
 * back whole, in parts, from a real worker JVM: Python's pool has no such limit, so neither may a
 * map. The same for a chunk whose every task fails with a long stack trace, which once left its
 * map waiting forever.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class PoolLargeResultsTest {
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("pool-large-results", ConfigFactory.parseString("procactor.transport.max-frame-size = 64 KiB")
                .withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void aChunkOfResultsLargerThanAFrameComesBackWholeAndInOrder() throws Exception {
        List<Integer> sizes = IntStream.range(0, 100).map(i -> 2000 + i).boxed().collect(Collectors.toList()); // about 200 KB
        try (Pool pool = system.pool(Props.create(PoolActors.Sized.class), PoolOptions.size(1).chunkSize(100).name("large"))) {
            List<String> out = pool.map(sizes, Timeouts.seconds(60));

            assertThat(out).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(out.get(i)).as("result %d", i).hasSize(2000 + i);
            }

            CompletableFuture<List<String>> failing = pool.mapAsync(IntStream.range(0, 100).map(i -> -1 - i).boxed().toList());
            Throwable failure = failing.handle((v, t) -> t).get(Timeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(failure).as("every task failed, with its long stack trace: the map ends with the first one's cause")
                    .isNotNull().hasMessageContaining("negative size [-1]");
        }
    }
}
