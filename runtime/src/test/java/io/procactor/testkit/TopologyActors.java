package io.procactor.testkit;

import io.procactor.Actor;
import io.procactor.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Actors of the topology tests, with the constructors the topology files give them. */
public final class TopologyActors {
    private TopologyActors() {
    }

    /** Replies to anything with "NAME ENV PROP": its process name, env TOPOLOGY_ENV and -Dtopology.prop. */
    public static final class Echo extends Actor {
        @Override
        protected void onReceive(Object message) {
            reply(context().processName() + " " + System.getenv("TOPOLOGY_ENV") + " " + System.getProperty("topology.prop"));
        }
    }

    /**
     * On its start message (any string): sends {@code n} messages to {@code pool}, and once every
     * reply is in, reports each distinct reply and the count to {@code report}, then "done".
     */
    public static final class Fanout extends Actor {
        private final ActorRef pool;
        private final ActorRef report;
        private final int n;
        private final List<String> replies = new ArrayList<>();

        public Fanout(ActorRef pool, ActorRef report, int n) {
            this.pool = pool;
            this.report = report;
            this.n = n;
        }

        @Override
        protected void onReceive(Object message) {
            if (message instanceof String s && sender() != null && sender().equals(report)) {
                for (int i = 0; i < n; i++) {
                    pool.tell(i, self());
                }
            } else if (message instanceof String s) {
                replies.add(s);
                if (replies.size() == n) {
                    replies.stream().distinct().sorted().forEach(report::tell);
                    report.tell("fanout: " + n + " replies");
                    report.tell("done");
                }
            } else {
                unhandled(message);
            }
        }
    }

    /** Just lives: replies "pong" to "ping". Takes a long and a Duration to check argument conversion. */
    public static final class Idle extends Actor {
        private final long id;
        private final Duration period;

        public Idle(long id, Duration period) {
            this.id = id;
            this.period = period;
        }

        @Override
        protected void onReceive(Object message) {
            if ("ping".equals(message)) {
                reply("pong " + id + " " + period.toMillis());
            } else {
                unhandled(message);
            }
        }
    }

    /** Stops itself on its first message (its process then exits cleanly). */
    public static final class StopsOnStart extends Actor {
        @Override
        protected void onReceive(Object message) {
            context().stop();
        }
    }

    /** Cannot start: preStart throws. */
    public static final class FailsToStart extends Actor {
        @Override
        protected void preStart() {
            throw new IllegalStateException("boom at start");
        }

        @Override
        protected void onReceive(Object message) {
            unhandled(message);
        }
    }

    /** Takes a ref to a peer; for topologies whose refs form a ring (which is fine, unlike a cycle in after). */
    public static final class Peer extends Actor {
        private final ActorRef next;

        public Peer(ActorRef next) {
            this.next = next;
        }

        @Override
        protected void onReceive(Object message) {
            next.tell(message);
        }
    }
}
