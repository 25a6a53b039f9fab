package io.procactor.transport;

import java.util.concurrent.CompletableFuture;

/**
 * An established, authenticated connection to one peer.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread. It encodes on the calling thread
 * (so serialization errors reach the sender at once), queues the frame and returns without
 * blocking; frames queued together are written with one flush. Frames from one sender arrive in
 * the order sent.
 */
public interface Connection {
    /** The peer as it stated in the handshake. */
    PeerInfo peer();

    /**
     * Encodes and queues one message.
     *
     * @return false if the connection is already closed (nothing was queued)
     * @throws SerializationException if the message cannot be encoded; nothing was queued
     */
    boolean send(Object message);

    /**
     * Queues a PING frame (in order with the messages sent before it). The peer's transport answers
     * with a PONG from its I/O thread, without decoding anything or calling its {@link Inbound}; the
     * answer reaches this side's {@link Inbound#onPong}. A liveness probe that stays cheap even in
     * a peer whose code is not compiled yet.
     *
     * @return false if the connection is already closed (nothing was queued)
     */
    boolean ping();

    /** Whether the outbound buffer is below its high-water mark. */
    boolean isWritable();

    /**
     * Waits until the outbound buffer is below its high-water mark again, the connection closes,
     * or {@code millis} pass; returns whether it is writable. Never call it on an I/O thread.
     */
    boolean awaitWritable(long millis) throws InterruptedException;

    boolean isOpen();

    /**
     * Stops reading from this connection (the peer's writes then back up into its own buffers) until
     * {@link #resumeReads()}. For backpressure: a receiver that cannot keep up pauses its senders.
     */
    void pauseReads();

    void resumeReads();

    /** Whether reads are paused by {@link #pauseReads()}: nothing the peer sends is read until {@link #resumeReads()}. */
    boolean readsPaused();

    /**
     * Runs {@code task} on this connection's I/O thread: the thread that calls its {@link Inbound},
     * so the task never runs while a message of this connection is handled, and nothing the peer
     * answers to what the task sends is handled before the task returns. The task must not block.
     *
     * @return false when the transport is closed: the task will never run
     */
    boolean execute(Runnable task);

    /** Closes the connection; queued frames are flushed first where possible. */
    void close();

    /** Completes when the connection is closed, by either side. */
    CompletableFuture<Void> closeFuture();
}
