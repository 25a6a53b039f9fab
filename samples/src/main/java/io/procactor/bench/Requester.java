package io.procactor.bench;

import io.procactor.Actor;
import io.procactor.ActorRef;

/**
 * Actor-to-actor request/reply by tell, no futures: asked with a {@code Long} n, it tells its
 * responder (a {@link Doubler}) the requests 0..n-1 as {@code Integer}s, keeping
 * {@code inFlight} outstanding, matches each reply (2i) to its request, and replies the round
 * trip of every request in nanoseconds ({@code long[]}).
 *
 * <p>Threading: an actor (one message at a time).
 */
public final class Requester extends Actor {
    private final ActorRef responder;
    private final int inFlight;
    private ActorRef replyTo;
    private long[] sentAt;
    private long[] latencies;
    private int sent;
    private int received;

    public Requester(ActorRef responder, Integer inFlight) {
        this.responder = responder;
        this.inFlight = inFlight;
    }

    @Override
    protected void onReceive(Object message) {
        if (message instanceof Long n) {
            replyTo = sender();
            sentAt = new long[n.intValue()];
            latencies = new long[n.intValue()];
            sent = 0;
            received = 0;
            while (sent < Math.min(inFlight, sentAt.length)) {
                send();
            }
        } else if (message instanceof Integer doubled) {
            int id = doubled / 2;
            latencies[id] = System.nanoTime() - sentAt[id];
            if (++received == latencies.length) {
                replyTo.tell(latencies);
            } else if (sent < sentAt.length) {
                send();
            }
        } else {
            unhandled(message);
        }
    }

    private void send() {
        sentAt[sent] = System.nanoTime();
        responder.tell(sent, self());
        sent++;
    }
}
