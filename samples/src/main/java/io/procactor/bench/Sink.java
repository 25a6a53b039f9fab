package io.procactor.bench;

import io.procactor.Actor;

/** Counts what it receives; replies the count to "count?". */
public final class Sink extends Actor {
    private long received;

    @Override
    protected void onReceive(Object message) {
        if ("count?".equals(message)) {
            reply(received);
        } else {
            received++;
        }
    }
}
