package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 200 spawn/ask/terminate cycles leak no process, file descriptor, socket or thread. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ChurnTest {
    private static final int CYCLES = 200;
    private static final int CONCURRENT = 4;
    private static final Duration T = Timeouts.seconds(60);

    @Test
    void spawnTerminateCyclesLeakNothing() throws Exception {
        try (ActorSystem system = ActorSystem.create("churn")) {
            runCycles(system, "warm", 2 * CONCURRENT);   // JDK reaper threads, pools, class loading
            Counts before = Counts.now();
            runCycles(system, "cycle", CYCLES);
            await("resources back to the level before the cycles").atMost(T).pollInterval(Duration.ofMillis(200))
                    .until(() -> Counts.now().withinOf(before));
            assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
        }
    }

    private static void runCycles(ActorSystem system, String prefix, int n) throws Exception {
        for (int i = 0; i < n; i += CONCURRENT) {
            List<ActorProcess> batch = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + CONCURRENT); j++) {
                batch.add(system.spawnProcess(Props.create(TestActors.Doubler.class), prefix + "-" + j));
            }
            for (ActorProcess p : batch) {
                assertThat(p.ref().<Integer>ask(21, T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42);
                p.terminate();
            }
            for (ActorProcess p : batch) {
                assertThat(p.join(T)).isTrue();
                assertThat(p.exitStatus().orElseThrow().isClean()).as(p.exitStatus().toString()).isTrue();
            }
        }
    }

    /** What this JVM holds: open file descriptors, sockets among them, and threads (JDK process reapers excluded). */
    private record Counts(long fds, long sockets, long threads) {
        static Counts now() throws IOException {
            long fds = 0;
            long sockets = 0;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    fds++;
                    try {
                        if (Files.readSymbolicLink(p).toString().startsWith("socket:")) {
                            sockets++;
                        }
                    } catch (IOException gone) {
                        // closed while listing
                    }
                }
            }
            long threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !t.getName().startsWith("process reaper"))
                    .count();
            return new Counts(fds, sockets, threads);
        }

        /** Equal within a small slack for descriptors the JDK opens lazily (the fd listing itself, jar files). */
        boolean withinOf(Counts base) {
            return fds <= base.fds + 3 && sockets <= base.sockets && threads <= base.threads + 2;
        }
    }
}
