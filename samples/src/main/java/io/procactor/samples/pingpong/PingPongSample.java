package io.procactor.samples.pingpong;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Props;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Two actors in two child JVMs play ping-pong directly: the node only introduces them, by sending
 * Ping a message that carries Pong's ref, and asks Ping for the score.
 */
public final class PingPongSample implements Sample {
    private final int rounds;

    public PingPongSample() {
        this(1000);
    }

    public PingPongSample(int rounds) {
        this.rounds = rounds;
    }

    // Messages crossing process boundaries: records, registered with the same id in every process.

    /** Node to Ping: play {@code rounds} round trips with {@code pong}. An ActorRef travels like any field. */
    public record Start(ActorRef pong, int rounds) {
    }

    /** The ball; {@code hits} counts round trips, so it is the one piece of state the game needs. */
    public record Ball(int hits) {
    }

    /** Ping to the node, answering its Start. */
    public record Done(int rounds, long nanos) {
    }

    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Start.class, 1000)
                .register(Ball.class, 1001)
                .register(Done.class, 1002);
    }

    public static final class Ping extends Actor {
        private ActorRef asker;
        private int rounds;
        private long startNanos;

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Start start) {
                // Keep the asker: the answer comes after many more messages, not in this call.
                asker = sender();
                rounds = start.rounds();
                startNanos = System.nanoTime();
                start.pong().tell(new Ball(0), self());
            } else if (message instanceof Ball ball) {
                int hits = ball.hits() + 1;
                if (hits < rounds) {
                    sender().tell(new Ball(hits), self());
                } else {
                    asker.tell(new Done(hits, System.nanoTime() - startNanos), self());
                }
            } else {
                unhandled(message);
            }
        }
    }

    public static final class Pong extends Actor {
        @Override
        protected void onReceive(Object message) {
            if (message instanceof Ball) {
                reply(message);
            } else {
                unhandled(message);
            }
        }
    }

    @Override
    public String name() {
        return "ping-pong";
    }

    @Override
    public String description() {
        return "two actors in two processes exchange " + rounds + " round trips through refs passed in messages";
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        ActorProcess ping = system.spawnProcess(Props.create(Ping.class), "ping");
        ActorProcess pong = system.spawnProcess(Props.create(Pong.class), "pong");

        Done done = ping.ref().<Done>ask(new Start(pong.ref(), rounds), Duration.ofSeconds(60)).get();
        double millis = done.nanos() / 1e6;
        out.println(String.format(Locale.ROOT, "ping-pong: %d round trips in %.1f ms (%.0f round trips/s)",
                done.rounds(), millis, done.rounds() / (millis / 1000)));

        // Ping and Pong would serve forever: stop their processes, postStop and all.
        ping.terminate();
        pong.terminate();
        for (ActorProcess p : new ActorProcess[] {ping, pong}) {
            if (!p.join(Duration.ofSeconds(30))) {
                throw new IllegalStateException("process " + p.name() + " did not exit within 30 s of terminate()");
            }
            out.println(p.name() + " exited: " + p.exitStatus().orElseThrow());
        }
    }
}
