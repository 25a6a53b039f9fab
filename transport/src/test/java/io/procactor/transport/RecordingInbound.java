package io.procactor.transport;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link Inbound} that records what arrives, for tests to wait on. */
public class RecordingInbound implements Inbound {
    public final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    /** Completes with the close cause; a null value means an orderly close. */
    public final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    public final CompletableFuture<Connection> firstConnection = new CompletableFuture<>();
    public final java.util.concurrent.atomic.AtomicInteger pongs = new java.util.concurrent.atomic.AtomicInteger();
    /** How many messages had arrived at the last {@link #onReadComplete}. */
    public final java.util.concurrent.atomic.AtomicInteger arrivedAtReadComplete = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void onMessage(Connection connection, Object message) {
        firstConnection.complete(connection);
        arrived.incrementAndGet();
        messages.add(message);
    }

    @Override
    public void onReadComplete(Connection connection) {
        arrivedAtReadComplete.set(arrived.get());
    }

    @Override
    public void onPong(Connection connection) {
        pongs.incrementAndGet();
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        closed.complete(cause);
    }

    /** The next message, failing the test if none arrives within 5 seconds. */
    public Object next() {
        try {
            Object m = messages.poll(TestTimeouts.seconds(5).toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message arrived within 5 s");
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
