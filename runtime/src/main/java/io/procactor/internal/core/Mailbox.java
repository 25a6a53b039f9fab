package io.procactor.internal.core;

import io.procactor.ActorRef;
import io.procactor.internal.config.OverflowPolicy;
import io.procactor.transport.Connection;
import io.procactor.transport.Transport;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One actor's bounded message queue and its overflow policy (Pekko's {@code dispatch/Mailbox}
 * without the run loop, which stays in {@link ActorCell}). When full: {@code fail} and
 * {@code drop-newest} refuse the new message, {@code drop-oldest} refuses the oldest and takes the
 * new one, {@code block} makes a local sender wait up to the block timeout (then refuses) and
 * pauses reading from the connection a remote message arrived on until the queue is half empty.
 * Every refused message goes to the {@link Refusals} given, once.
 *
 * <p>Threads: {@link #offer} is called by any sender thread and by I/O threads (which never
 * block: they pause their connection instead); {@link #poll}, {@link #peek}, {@link #drainTo} and {@link #close}
 * only by the thread that holds the cell's baton (one at a time). Thread-safe on that basis.
 */
final class Mailbox {

    /** A queued message and who sent it (null: no sender). */
    record Letter(ActorRef sender, Object body) {
    }

    /** Told of each message a full mailbox refused; called on the offering thread or the polling one. */
    @FunctionalInterface
    interface Refusals {
        void overflowed(ActorRef sender, Object body);
    }

    private final int capacity;
    private final OverflowPolicy policy;
    private final Duration blockTimeout;
    private final Refusals refusals;
    private final Queue<Letter> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** Connections whose reads this mailbox paused (overflow = block). Pausing and resuming hold its lock. */
    private final Set<Connection> pausedSources = ConcurrentHashMap.newKeySet();
    /** Local senders blocked on a full mailbox wait on this monitor. */
    private final Object space = new Object();
    private volatile int blockedSenders;
    private volatile boolean closed;

    Mailbox(int capacity, OverflowPolicy policy, Duration blockTimeout, Refusals refusals) {
        this.capacity = capacity;
        this.policy = policy;
        this.blockTimeout = blockTimeout;
        this.refusals = refusals;
    }

    int capacity() {
        return capacity;
    }

    /** Messages waiting, as last counted. */
    int size() {
        return queued.get();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Queues a message, applying the overflow policy when the mailbox is full.
     *
     * @param source the connection it arrived on, or null when sent from this process
     * @return false when the message was refused (and reported to {@link Refusals})
     */
    boolean offer(ActorRef sender, Object body, Connection source) {
        if (queued.get() >= capacity) {
            switch (policy) {
                case FAIL, DROP_NEWEST -> {
                    refusals.overflowed(sender, body);
                    return false;
                }
                case DROP_OLDEST -> {
                    Letter oldest = queue.poll();
                    if (oldest != null) {
                        queued.decrementAndGet();
                        refusals.overflowed(oldest.sender(), oldest.body());
                    }
                }
                case BLOCK -> {
                    if (source != null) {
                        // take it (its bytes are read already) and stop reading more from that process
                        synchronized (pausedSources) {
                            if (pausedSources.add(source)) {
                                source.pauseReads();
                            }
                        }
                    } else if (!Transport.isIoThread() && !awaitSpace()) {
                        refusals.overflowed(sender, body);
                        return false;
                    }
                }
            }
        }
        queue.add(new Letter(sender, body));
        queued.incrementAndGet();
        return true;
    }

    private boolean awaitSpace() {
        long deadline = System.nanoTime() + blockTimeout.toNanos();
        synchronized (space) {
            blockedSenders++;
            try {
                while (queued.get() >= capacity && !closed) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    space.wait(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                blockedSenders--;
            }
        }
    }

    /** The next message without taking it, or null (baton holder only). */
    Letter peek() {
        return queue.peek();
    }

    /** The next message, or null; wakes blocked senders and resumes paused connections as space frees. */
    Letter poll() {
        Letter l = queue.poll();
        if (l != null) {
            int left = queued.decrementAndGet();
            if (blockedSenders > 0) {
                synchronized (space) {
                    space.notifyAll();
                }
            }
            if (!pausedSources.isEmpty() && left <= capacity / 2) {
                resumeSources();
            }
        }
        return l;
    }

    /** Hands every waiting message to {@code sink}; a drained mailbox keeps no connection paused. */
    void drainTo(Consumer<Letter> sink) {
        Letter l;
        while ((l = queue.poll()) != null) {
            queued.decrementAndGet();
            sink.accept(l);
        }
        resumeSources(); // a stopped actor must not keep other processes' connections paused
    }

    /** The actor stopped: blocked senders return at once (their message then goes to dead letters). */
    void close() {
        closed = true;
        resumeSources();
        synchronized (space) {
            space.notifyAll();
        }
    }

    // Pausing and resuming hold the set's lock: a resume that ran between another thread's add and
    // its pauseReads left the connection paused with nobody to resume it, and the flow stalled.
    private void resumeSources() {
        synchronized (pausedSources) {
            for (Connection c : pausedSources) {
                c.resumeReads();
            }
            pausedSources.clear();
        }
    }
}
