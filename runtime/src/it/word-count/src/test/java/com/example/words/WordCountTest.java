package com.example.words;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.Props;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a new user writes first: one ask to an actor in a child JVM, and a pool of 2 over 1,000 lines. */
class WordCountTest {
    private static final Duration T = Duration.ofSeconds(120);

    @Test
    void countsWordsInChildProcesses() throws Exception {
        try (ActorSystem system = ActorSystem.create("words")) {
            ActorProcess counter = system.spawnProcess(Props.create(WordCounter.class), "counter");
            assertEquals(3, counter.ref().<Integer>ask("one two three", T).get(T.toSeconds(), TimeUnit.SECONDS));

            List<String> lines = IntStream.range(0, 1_000).mapToObj(i -> "line " + i + " has five words").toList();
            try (Pool pool = system.pool(Props.create(WordCounter.class), PoolOptions.size(2))) {
                List<Integer> counts = pool.map(lines, T);
                assertEquals(5_000, counts.stream().mapToInt(Integer::intValue).sum());
            }
        }
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
                "no child process outlives the system");
    }
}
