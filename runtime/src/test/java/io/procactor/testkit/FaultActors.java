package io.procactor.testkit;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.Props;
import io.procactor.SupervisorStrategy;
import io.procactor.SupervisorStrategy.Directive;
import io.procactor.Terminated;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Actors for the supervision, death-watch and flow-control tests. */
public final class FaultActors {
    private FaultActors() {
    }

    /**
     * Counts "inc"; replies its count to "get"; throws IllegalStateException on "boom" and
     * IllegalArgumentException on "bad"; replies its instance number to "instance" (a static
     * counter per JVM, so a restart shows); "exit" calls System.exit(3); "halt-9" never returns.
     */
    public static final class Counter extends Actor {
        private static int instances;
        private final int instance = ++instances;
        private int count;

        @Override
        protected void onReceive(Object message) {
            switch (String.valueOf(message)) {
                case "inc" -> count++;
                case "get" -> reply(count);
                case "instance" -> reply(instance);
                case "boom" -> throw new IllegalStateException("boom in instance " + instance);
                case "bad" -> throw new IllegalArgumentException("bad input");
                case "exit" -> System.exit(3);
                case "pid" -> reply(context().pid());
                default -> unhandled(message);
            }
        }
    }

    /**
     * A parent that creates two Counter children ("a", "b") supervised by its strategy
     * (given as {@link SupervisorStrategy#toText()}), and forwards "a:MSG" / "b:MSG" to them.
     */
    public static final class Parent extends Actor {
        private final SupervisorStrategy strategy;
        private ActorRef a;
        private ActorRef b;

        public Parent(String strategy) {
            this.strategy = SupervisorStrategy.parse(strategy);
        }

        @Override
        protected void preStart() {
            a = context().actorOf(Props.create(Counter.class), "a");
            b = context().actorOf(Props.create(Counter.class), "b");
        }

        @Override
        protected SupervisorStrategy supervisorStrategy() {
            return strategy;
        }

        @Override
        protected void onReceive(Object message) {
            String s = String.valueOf(message);
            if (s.startsWith("a:")) {
                a.tell(s.substring(2), sender());
            } else if (s.startsWith("b:")) {
                b.tell(s.substring(2), sender());
            } else if (s.equals("refs")) {
                reply(new ArrayList<>(List.of(a, b)));
            } else {
                unhandled(message);
            }
        }

        public static String strategy(boolean allForOne, Directive directive) {
            return (allForOne ? SupervisorStrategy.allForOne(directive) : SupervisorStrategy.oneForOne(directive))
                    .withIntensity(3, Duration.ofMinutes(1)).toText();
        }
    }

    /**
     * Watches every ref it is sent; records the Terminated messages it receives; replies them to
     * "terminated?" as "path REASON", and to "terminations?" as the Terminated messages themselves.
     */
    public static final class Watcher extends Actor {
        private final List<String> seen = new ArrayList<>();
        private final List<Terminated> terminations = new ArrayList<>();

        @Override
        protected void onReceive(Object message) {
            if (message instanceof ActorRef r) {
                context().watch(r);
                reply("watching " + r.path());
            } else if (message instanceof Terminated t) {
                seen.add(t.ref().path() + " " + t.status().reason());
                terminations.add(t);
            } else if ("terminated?".equals(message)) {
                reply(new ArrayList<>(seen));
            } else if ("terminations?".equals(message)) {
                reply(new ArrayList<>(terminations));
            } else {
                unhandled(message);
            }
        }
    }

    /** Handles one message every {@code delayMillis}; replies its mailbox-independent count and heap use to "stats". */
    public static final class SlowConsumer extends Actor {
        private final long delayMillis;
        private long received;
        private long maxUsedHeap;

        public SlowConsumer(Long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        protected void onReceive(Object message) throws InterruptedException {
            if ("stats".equals(message)) {
                reply(new ArrayList<>(List.of(received, maxUsedHeap)));
                return;
            }
            received++;
            if (received % 100 == 0) {
                Runtime rt = Runtime.getRuntime();
                maxUsedHeap = Math.max(maxUsedHeap, rt.totalMemory() - rt.freeMemory());
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        }
    }

    /** On "flood:N", tells N 1 KiB messages to the ref it was given first; replies "sent N" when done. */
    public static final class Producer extends Actor {
        private ActorRef target;

        @Override
        protected void onReceive(Object message) {
            if (message instanceof ActorRef r) {
                target = r;
                reply("ok");
            } else if (message instanceof String s && s.startsWith("flood:")) {
                int n = Integer.parseInt(s.substring(6));
                byte[] payload = new byte[1024];
                for (int i = 0; i < n; i++) {
                    target.tell(payload, self());
                }
                reply("sent " + n);
            } else {
                unhandled(message);
            }
        }
    }

    /** Exits its JVM with code 3 from preStart: a process that crash-loops. */
    public static final class CrashOnStart extends Actor {
        @Override
        protected void preStart() {
            System.exit(3);
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }
}
