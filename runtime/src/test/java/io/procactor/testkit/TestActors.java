package io.procactor.testkit;

import io.procactor.Actor;
import io.procactor.ActorRef;
import java.time.Duration;

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

    /** Forwards a String to the ref it was given, asking; replies with the answer. */
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
}
