package io.procactor.bench;

import io.procactor.Actor;
import io.procactor.ActorRef;

/**
 * The sending end of the tell benchmarks: asked with an {@code Integer} n, it tells its
 * {@link Sink} 1..n as {@code Long}s with at most {@code window} unacknowledged, and replies n when
 * the sink has acknowledged all of them (a {@code String} saying what went wrong otherwise). Flow
 * control by acks keeps the figure a steady state, not the speed of filling a queue.
 *
 * <p>Threading: an actor (one message at a time); never blocks, so acks are taken between sends.
 */
public final class Producer extends Actor {
    private final ActorRef sink;
    private final int window;
    private ActorRef replyTo;
    private long total;
    private long sent;

    public Producer(ActorRef sink, Integer window) {
        this.sink = sink;
        this.window = window;
    }

    @Override
    protected void onReceive(Object message) {
        if (message instanceof Integer n) {
            if (n % Sink.ACK_EVERY != 0) {
                reply("message count must be a multiple of " + Sink.ACK_EVERY + ", got " + n);
                return;
            }
            replyTo = sender();
            total = n;
            sent = 0;
            sink.tell(self()); // starts the sink's round; arrives before the data (same sender, same target)
            pump(0);
        } else if (message instanceof Long acked) {
            if (acked < 0) {
                replyTo.tell("sink saw a message out of order by message " + -acked);
            } else if (acked == total) {
                replyTo.tell(n(total));
            } else {
                pump(acked);
            }
        } else {
            unhandled(message);
        }
    }

    private void pump(long acked) {
        while (sent < total && sent - acked < window) {
            sink.tell(++sent);
        }
    }

    private static Integer n(long total) {
        return (int) total;
    }
}
