package io.procactor.bench;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Props;
import io.procactor.SharedLock;
import io.procactor.SharedLong;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shared memory against Python's {@code multiprocessing.Value}: increments per second of one
 * shared counter from two child processes, with {@link SharedLong#addAndGet} and with a
 * {@link SharedLock} around a read and a write; then Python's {@code with v.get_lock(): v.value += 1}
 * from two processes ({@code samples/src/main/python/shm_bench.py}), in the same run. Each figure
 * is the best of three rounds after a warm-up; a round counts both processes' increments from the
 * moment both are told to start until both have answered.
 *
 * <p>Threading: {@link #run()} on the caller's thread.
 */
public final class ShmBenchmark {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final int ATOMIC_N = 20_000_000;
    private static final int LOCKED_N = 2_000_000;
    private static final int PYTHON_N = 500_000;
    private final PrintStream out;

    public ShmBenchmark(PrintStream out) {
        this.out = out;
    }

    /** Adds one {@code n} times, atomically; replies with {@code n}. */
    public static final class AtomicAdder extends Actor {
        private final SharedLong counter;

        public AtomicAdder(SharedLong counter) {
            this.counter = counter;
        }

        @Override
        protected void onReceive(Object message) {
            int n = (Integer) message;
            for (int i = 0; i < n; i++) {
                counter.addAndGet(1);
            }
            reply(n);
        }
    }

    /** Reads, adds one and writes under the lock, {@code n} times; replies with {@code n}. */
    public static final class LockedAdder extends Actor {
        private final SharedLong counter;
        private final SharedLock lock;

        public LockedAdder(SharedLong counter, SharedLock lock) {
            this.counter = counter;
            this.lock = lock;
        }

        @Override
        protected void onReceive(Object message) {
            int n = (Integer) message;
            for (int i = 0; i < n; i++) {
                try (SharedLock.Held held = lock.lock(LONG)) {
                    counter.set(counter.get() + 1);
                }
            }
            reply(n);
        }
    }

    public void run() throws Exception {
        double atomic;
        double locked;
        try (ActorSystem system = ActorSystem.create("bench-shm")) {
            SharedLong a = system.sharedLong("atomic", 0);
            atomic = bestRate(system, a, Props.create(AtomicAdder.class, a), ATOMIC_N, "atomic");
            out.printf("SharedLong.addAndGet(1), 2 processes x %d: %,.0f increments/s%n", ATOMIC_N, atomic);
            SharedLong l = system.sharedLong("locked", 0);
            SharedLock lock = system.lock("lock");
            locked = bestRate(system, l, Props.create(LockedAdder.class, l, lock), LOCKED_N, "locked");
            out.printf("SharedLock + get/set(+1), 2 processes x %d: %,.0f increments/s%n", LOCKED_N, locked);
        }
        double python = python();
        if (python > 0) {
            out.printf("ratio against Python's Value under its lock: atomic %.0fx, SharedLock %.0fx%n", atomic / python,
                    locked / python);
        }
    }

    private double bestRate(ActorSystem system, SharedLong counter, Props adder, int n, String name) throws Exception {
        List<ActorRef> adders = List.of(system.spawnProcess(adder, name + "-1").ref(), system.spawnProcess(adder, name + "-2").ref());
        round(adders, n / 10); // warm up: both JITs compile the loop
        double best = 0;
        for (int r = 0; r < 3; r++) {
            counter.set(0);
            long t0 = System.nanoTime();
            round(adders, n);
            double rate = 2.0 * n / ((System.nanoTime() - t0) / 1e9);
            if (counter.get() != 2L * n) {
                throw new AssertionError(name + ": counter is " + counter.get() + ", expected " + 2L * n);
            }
            best = Math.max(best, rate);
        }
        return best;
    }

    private static void round(List<ActorRef> adders, int n) throws Exception {
        CompletableFuture<?>[] done = adders.stream().map(a -> a.ask(n, LONG)).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(done).get(LONG.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs shm_bench.py, prints its line and returns its rate, or 0 when Python or the script is missing. */
    private double python() throws Exception {
        Path script = Path.of(System.getProperty("procactor.home", "."), "samples/src/main/python/shm_bench.py");
        if (!Files.isRegularFile(script)) {
            out.println("python: skipped, no " + script + " (run from the project directory)");
            return 0;
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), Integer.toString(PYTHON_N)).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            out.println("python: skipped, python3 cannot be started: " + e.getMessage());
            return 0;
        }
        double rate = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.println(line);
                int colon = line.lastIndexOf(": ");
                if (line.startsWith("python ") && colon > 0) {
                    rate = Double.parseDouble(line.substring(colon + 2).replace(" increments/s", "").replace(",", ""));
                }
            }
        }
        p.waitFor();
        return rate;
    }
}
