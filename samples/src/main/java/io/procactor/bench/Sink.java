package io.procactor.bench;

import io.procactor.Actor;
import io.procactor.ActorRef;

/**
 * The receiving end of the tell benchmarks. An {@link ActorRef} message starts a round: acks go
 * to it and the count restarts. Then {@code Long} messages 1, 2, 3, ... are counted, and every
 * {@link #ACK_EVERY}th is acknowledged with the count so far; negative if a message arrived out of
 * order (the ack then names the count at which it happened), so a benchmark never reports a rate
 * for a broken stream.
 *
 * <p>Threading: an actor (one message at a time).
 */
public final class Sink extends Actor {
    /** The sink acknowledges every this many messages. */
    public static final int ACK_EVERY = 5_000;

    private ActorRef ackTo;
    private long received;
    private boolean inOrder = true;

    @Override
    protected void onReceive(Object message) {
        if (message instanceof Long n) {
            received++;
            if (n != received) {
                inOrder = false;
            }
            if (received % ACK_EVERY == 0) {
                ackTo.tell(inOrder ? received : -received);
            }
        } else if (message instanceof ActorRef r) {
            ackTo = r;
            received = 0;
            inOrder = true;
        } else {
            unhandled(message);
        }
    }
}
