package io.procactor.testkit;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.Props;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Actors the integration tests run in child JVMs. */
public final class TestActors {
    private TestActors() {
    }

    /** Replies 2n to an Integer n; throws on a negative number; sleeps for a Duration; exits on "exit:N". */
    public static final class Doubler extends Actor {
        @Override
        protected void onReceive(Object message) throws Exception {
            if (message instanceof Integer n) {
                if (n < 0) {
                    throw new IllegalArgumentException("negative input [" + n + "]");
                }
                reply(n * 2);
            } else if (message instanceof Duration d) {
                Thread.sleep(d.toMillis());
                reply("slept " + d.toMillis());
            } else if (message instanceof String s && s.startsWith("exit:")) {
                System.exit(Integer.parseInt(s.substring(5)));
            } else if ("pid".equals(message)) {
                reply(context().pid());
            } else if ("whoami".equals(message)) {
                reply(context().processName() + " " + context().pid() + " " + context().parentPid());
            } else if ("silent".equals(message)) {
                // never replies: for ask timeouts
            } else {
                unhandled(message);
            }
        }
    }

    /** Replies 2n to an Integer n after about a millisecond of simulated work: tasks long enough to be killed mid-map. */
    public static final class SlowDoubler extends Actor {
        @Override
        protected void onReceive(Object message) throws Exception {
            if (message instanceof Integer n) {
                Thread.sleep(1);
                reply(n * 2);
            } else {
                unhandled(message);
            }
        }
    }

    /** Keeps the ref it is told; asks that ref for each Integer and replies "via <process>: <answer>" (or "failed: ..."). */
    public static final class Forwarder extends Actor {
        private ActorRef target;

        @Override
        protected void onReceive(Object message) {
            if (message instanceof ActorRef r) {
                target = r;
                reply("ok");
            } else if (message instanceof Integer n) {
                ActorRef replyTo = sender();
                target.<Integer>ask(n, Duration.ofSeconds(10)).whenComplete((v, e) ->
                        replyTo.tell(e != null ? "failed: " + e : "via " + context().processName() + ": " + v));
            } else {
                unhandled(message);
            }
        }
    }

    /**
     * Replies 2n to an Integer n; to a Duration, replies "sleeping" first and then sleeps that long
     * (so an asker knows it is busy); on "stop" replies "stopping" and stops itself. Its postStop
     * writes {@code "stopped " + pid} to the marker file.
     */
    public static final class StopMarker extends Actor {
        private final String markerFile;

        public StopMarker(String markerFile) {
            this.markerFile = markerFile;
        }

        @Override
        protected void onReceive(Object message) throws Exception {
            if (message instanceof Integer n) {
                reply(n * 2);
            } else if (message instanceof Duration d) {
                reply("sleeping");
                Thread.sleep(d.toMillis());
            } else if ("stop".equals(message)) {
                reply("stopping");
                context().stop();
            } else {
                unhandled(message);
            }
        }

        @Override
        protected void postStop() throws Exception {
            Files.writeString(Path.of(markerFile), "stopped " + context().pid(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A parent of two children: "keeper", a {@link StopMarker} on the given marker file, and "exiter",
     * a {@link Doubler}. Forwards "exit:N" to "exiter", so a child actor's thread calls System.exit;
     * replies [self, keeper, exiter] to "refs".
     */
    public static final class Family extends Actor {
        private final String markerFile;
        private ActorRef keeper;
        private ActorRef exiter;

        public Family(String markerFile) {
            this.markerFile = markerFile;
        }

        @Override
        protected void preStart() {
            keeper = context().actorOf(Props.create(StopMarker.class, markerFile), "keeper");
            exiter = context().actorOf(Props.create(Doubler.class), "exiter");
        }

        @Override
        protected void onReceive(Object message) {
            if ("refs".equals(message)) {
                reply(new ArrayList<>(List.of(self(), keeper, exiter)));
            } else if (message instanceof String s && s.startsWith("exit:")) {
                exiter.tell(s, sender());
            } else {
                unhandled(message);
            }
        }
    }

    /**
     * Starts slowly (its constructor takes the given milliseconds, like one that loads a model), then
     * its preStart writes {@code "started"} to the marker file; replies 2n to an Integer n.
     */
    public static final class StartMarker extends Actor {
        private final String markerFile;

        public StartMarker(String markerFile, Integer millis) throws InterruptedException {
            this.markerFile = markerFile;
            Thread.sleep(millis);
        }

        @Override
        protected void preStart() throws Exception {
            Files.writeString(Path.of(markerFile), "started", StandardCharsets.UTF_8);
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Integer n) {
                reply(n * 2);
            } else {
                unhandled(message);
            }
        }
    }

    /** Its constructor throws, so the process hosting it fails to start. */
    public static final class FailingConstructor extends Actor {
        public FailingConstructor() {
            throw new IllegalStateException("constructor failed on purpose");
        }

        @Override
        protected void onReceive(Object message) {
        }
    }

    /** Records every Integer told to it; replies to "report" with the list in arrival order. */
    public static final class Recorder extends Actor {
        private final List<Integer> seen = new ArrayList<>();

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Integer n) {
                seen.add(n);
            } else if ("report".equals(message)) {
                reply(new ArrayList<>(seen));
            } else {
                unhandled(message);
            }
        }
    }

    /**
     * Prints a String to System.out and replies "printed"; "err:" prefixed lines go to System.err,
     * and "warn:" prefixed ones to its SLF4J logger at WARN.
     */
    public static final class Printer extends Actor {
        @Override
        protected void onReceive(Object message) {
            if (message instanceof String s && s.startsWith("warn:")) {
                org.slf4j.LoggerFactory.getLogger(Printer.class).warn(s.substring(5));
                reply("printed");
            } else if (message instanceof String s && s.startsWith("err:")) {
                System.err.println(s.substring(4));
                reply("printed");
            } else if (message instanceof String s) {
                System.out.println(s);
                reply("printed");
            } else {
                unhandled(message);
            }
        }
    }

    /** Node-local only (its argument cannot travel): completes the future with the first message it receives. */
    public static final class Collector extends Actor {
        private final CompletableFuture<Object> received;

        public Collector(CompletableFuture<Object> received) {
            this.received = received;
        }

        @Override
        protected void onReceive(Object message) {
            received.complete(message);
        }
    }
}
