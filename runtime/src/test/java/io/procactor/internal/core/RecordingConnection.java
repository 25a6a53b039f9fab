package io.procactor.internal.core;

import io.procactor.transport.Connection;
import io.procactor.transport.PeerInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Connection} for in-JVM tests that records what is sent on it and counts pauses and
 * resumes of its reads; always open and writable, never reads. Attach it to an {@link Association} to see what a process would have
 * sent. Thread-safe.
 */
public final class RecordingConnection implements Connection {
    private final List<Object> sent = new CopyOnWriteArrayList<>();
    /** How often reads were paused and resumed (backpressure on a source connection). */
    public final AtomicInteger pauses = new AtomicInteger();
    public final AtomicInteger resumes = new AtomicInteger();

    /** What was sent, in order. */
    public List<Object> sent() {
        return sent;
    }

    @Override
    public PeerInfo peer() {
        throw new UnsupportedOperationException("a recording connection has no peer");
    }

    @Override
    public boolean send(Object message) {
        return sent.add(message);
    }

    @Override
    public boolean readsPaused() {
        return false;
    }

    @Override
    public boolean ping() {
        return sent.add("PING");
    }

    /** Set by a test: the outbound buffer is full, so a sender that waits for room waits (and is counted). */
    public volatile boolean full;
    /** How often a sender waited for room. */
    public final AtomicInteger waitsForRoom = new AtomicInteger();

    @Override
    public boolean isWritable() {
        return !full;
    }

    @Override
    public boolean awaitWritable(long millis) {
        waitsForRoom.incrementAndGet();
        return !full;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void pauseReads() {
        pauses.incrementAndGet();
    }

    @Override
    public void resumeReads() {
        resumes.incrementAndGet();
    }

    @Override
    public boolean execute(Runnable task) {
        task.run(); // no I/O thread here: the caller's thread stands in for it
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return new CompletableFuture<>();
    }
}
