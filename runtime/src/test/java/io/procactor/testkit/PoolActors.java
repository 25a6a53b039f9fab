package io.procactor.testkit;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Actors the pool tests run in worker JVMs. */
public final class PoolActors {
    private PoolActors() {
    }

    /**
     * Waits until every worker of the pool answers a direct ask of {@code "pid"} (so its JVM is up
     * and timing-sensitive work does not include JVM start-up) and returns their pids in worker order.
     */
    public static List<Long> awaitReady(Pool pool) throws Exception {
        List<CompletableFuture<Long>> asks = new ArrayList<>();
        for (ActorProcess w : pool.workers()) {
            asks.add(w.ref().ask("pid", Duration.ofSeconds(60)));
        }
        List<Long> pids = new ArrayList<>();
        for (CompletableFuture<Long> f : asks) {
            pids.add(f.get(60, TimeUnit.SECONDS));
        }
        return pids;
    }

    /** Replies with its process's pid (a Long) to any message; for a Duration it first sleeps that long. */
    public static final class PidReporter extends Actor {
        @Override
        protected void onReceive(Object message) throws Exception {
            if (message instanceof Duration d) {
                Thread.sleep(d.toMillis());
            }
            reply(context().pid());
        }
    }

    /**
     * Records every message other than {@code "init?"} in arrival order. Replies {@code "ack"} to a
     * String starting with {@code "init:"} (an initializer); to anything else it replies
     * {@code "<pid>|<recorded messages, comma separated>"}.
     */
    public static final class Initialized extends Actor {
        private final List<String> seen = new ArrayList<>();

        @Override
        protected void onReceive(Object message) {
            if (message instanceof String s && s.startsWith("init:")) {
                seen.add(s);
                reply("ack");
                return;
            }
            if (!"init?".equals(message)) {
                seen.add(String.valueOf(message));
            }
            reply(context().pid() + "|" + String.join(",", seen));
        }
    }

    /** Its constructor takes {@code millis} (a heavy set-up: loading a model, say); then replies with its pid to anything. */
    public static final class SlowStart extends Actor {
        public SlowStart(Integer millis) throws InterruptedException {
            Thread.sleep(millis);
        }

        @Override
        protected void onReceive(Object message) {
            reply(context().pid());
        }
    }

    /** Recurses without end on "deep" (a StackOverflowError in a task or a message); answers anything else with itself. */
    public static final class Recursing extends Actor {
        @Override
        protected void onReceive(Object message) {
            reply("deep".equals(message) ? deeper(0) : message);
        }

        private static int deeper(int n) {
            return deeper(n + 1) + 1;
        }
    }

    /** Answers {@code n} with a string of {@code n} characters; throws, 40 calls deep, for a negative {@code n}. */
    public static final class Sized extends Actor {
        @Override
        protected void onReceive(Object message) {
            int n = (Integer) message;
            reply(n >= 0 ? "x".repeat(n) : deep(n, 40));
        }

        private static String deep(int n, int calls) {
            if (calls == 0) {
                throw new IllegalArgumentException("negative size [" + n + "]");
            }
            return deep(n, calls - 1);
        }
    }

    /** Its constructor always throws, so a worker hosting it never starts. */
    public static final class BrokenConstructor extends Actor {
        public BrokenConstructor() {
            throw new IllegalStateException("constructor failed on purpose");
        }

        @Override
        protected void onReceive(Object message) {
        }
    }

    /**
     * Works like {@link PidReporter} until the file named by its argument exists; from then on its
     * constructor throws, so new workers fail to start (a resource that went away).
     */
    public static final class BreaksWhenMarked extends Actor {
        public BreaksWhenMarked(String markerFile) {
            if (Files.exists(Path.of(markerFile))) {
                throw new IllegalStateException("marker [" + markerFile + "] exists: refusing to start");
            }
        }

        @Override
        protected void onReceive(Object message) throws Exception {
            if (message instanceof Duration d) {
                Thread.sleep(d.toMillis());
            }
            reply(context().pid());
        }
    }

    /** Node-local only (its argument cannot travel): completes the future with the first message it receives. */
    public static final class ReplyCatcher extends Actor {
        private final CompletableFuture<Object> received;

        public ReplyCatcher(CompletableFuture<Object> received) {
            this.received = received;
        }

        @Override
        protected void onReceive(Object message) {
            received.complete(message);
        }
    }
}
