package io.procactor.internal.child;

import io.procactor.transport.Connection;
import io.procactor.transport.Inbound;

/**
 * The two ends of a spare's warm-up round trips (see {@link SpareWarmup}, {@link SpareLink}): the
 * listening side ({@code received} null) sends back what it gets; the connecting side runs
 * {@code received} for each message and each PONG that comes back.
 *
 * <p>Immutable; called on the connection's I/O thread.
 */
record Echo(Runnable received) implements Inbound {
    @Override
    public void onMessage(Connection connection, Object message) {
        if (received == null) {
            connection.send(message);
        } else {
            received.run();
        }
    }

    @Override
    public void onPong(Connection connection) {
        if (received != null) {
            received.run();
        }
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        // the warm-up is over
    }
}
