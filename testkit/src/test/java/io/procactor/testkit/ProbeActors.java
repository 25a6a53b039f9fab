package io.procactor.testkit;

import io.procactor.Actor;
import io.procactor.ActorRef;

/** Actors for the testkit's own tests. */
public final class ProbeActors {
    private ProbeActors() {
    }

    /**
     * Replies 2n to an Integer n; replies its pid to "pid"; tells "hello from PID" to a ref it is
     * sent (and replies "sent"); stops itself on "stop".
     */
    public static final class Doubler extends Actor {
        @Override
        protected void onReceive(Object message) {
            if (message instanceof Integer n) {
                reply(n * 2);
            } else if (message instanceof ActorRef r) {
                r.tell("hello from " + context().pid(), self());
                reply("sent");
            } else if ("pid".equals(message)) {
                reply(context().pid());
            } else if ("stop".equals(message)) {
                context().stop();
            } else {
                unhandled(message);
            }
        }
    }

    /** Created with a ref; tells it "started" from preStart, then forwards everything it gets to it. */
    public static final class Reporter extends Actor {
        private final ActorRef to;

        public Reporter(ActorRef to) {
            this.to = to;
        }

        @Override
        protected void preStart() {
            to.tell("started", self());
        }

        @Override
        protected void onReceive(Object message) {
            to.tell(message, sender());
        }
    }
}
