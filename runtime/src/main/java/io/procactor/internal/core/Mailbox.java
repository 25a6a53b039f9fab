package io.procactor.internal.core;

import io.procactor.ActorRef;
import io.procactor.internal.config.OverflowPolicy;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import io.procactor.transport.Transport;
import java.time.Duration;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * block: they pause their connection instead); {@link #poll}, {@link #pollUnlessBatch} and
 * {@link #close} only by the thread that holds the cell's baton (one at a time); {@link #drainTo}
 * by any thread once the actor is terminated. Thread-safe on that basis.
 */
final class Mailbox {

    /**
     * A queued message and who sent it (null: no sender), and the queue's link to the next one:
     * one object per message. Once the baton holder has taken it, it is the queue's head until the
     * next {@link #poll}, which clears it, so a handled message is not kept alive by the queue.
     */
    static final class Letter {
        private ActorRef sender;
        private Object body;
        private volatile Letter next;

        Letter(ActorRef sender, Object body) {
            this.sender = sender;
            this.body = body;
        }

        ActorRef sender() {
            return sender;
        }

        Object body() {
            return body;
        }
    }

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(Mailbox.class, "tail", Letter.class);
            NEXT = l.findVarHandle(Letter.class, "next", Letter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
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
    // A linked queue for many producers and one consumer (D. Vyukov's): a producer swaps the tail
    // and links the old one to its letter, the baton holder follows head's links. No CAS retries,
    // no node besides the letter. Drop-oldest also takes from producer threads: it takes under
    // this mailbox's lock, and so does the consumer of such a mailbox.
    /** The last letter taken (or the initial empty one); its successor is the next message. Consumer's only. */
    private Letter head = new Letter(null, null);
    @SuppressWarnings("unused") // through TAIL
    private volatile Letter tail = head;
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

    /**
     * Whether no message is linked after the head. Any thread: a stale head has a successor, so a
     * reader that is not the consumer errs towards "not empty". A producer between its tail swap
     * and its link is not seen; it schedules the actor after its offer returns.
     */
    boolean isEmpty() {
        return head.next == null;
    }

    /**
     * Whether a message waits: for the re-check after the baton was let go. The count decides: a
     * producer increments it (a volatile read-modify-write) after linking its letter and before it
     * tries to take the baton, so the increment and this read, with the baton's own volatile
     * write and compare-and-set, leave no message without a turn under the memory model's rules.
     * The link alone is published with release ordering, which the model does not order before
     * the producer's later read of the baton. Any thread; a drop-oldest producer between its take
     * and its decrement makes it say true once too often, which costs one empty turn.
     */
    boolean hasWaiting() {
        return head.next != null || queued.get() > 0;
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
                    ActorRef oldestSender;
                    Object oldestBody;
                    synchronized (this) {
                        Letter oldest = take(false);
                        if (oldest == null) {
                            break;
                        }
                        oldestSender = oldest.sender; // read under the lock: the consumer's next take clears them
                        oldestBody = oldest.body;
                    }
                    queued.decrementAndGet();
                    refusals.overflowed(oldestSender, oldestBody);
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
        Letter letter = new Letter(sender, body);
        Letter previous = (Letter) TAIL.getAndSet(this, letter);
        NEXT.setRelease(previous, letter); // until this store the consumer sees the queue end at previous
        queued.incrementAndGet();
        return true;
    }

    /**
     * The next letter, made the head. The consumer clears the old head first (its message was
     * handled); drop-oldest's producer must not, the consumer may be handling it, and once head
     * has moved past it the queue no longer keeps it anyway.
     */
    private Letter take(boolean consumer) {
        Letter h = head;
        if (consumer) {
            h.sender = null;
            h.body = null;
        }
        Letter next = h.next;
        if (next == null) {
            return null;
        }
        head = next;
        return next;
    }

    private Letter takeOne() {
        if (policy == OverflowPolicy.DROP_OLDEST) {
            synchronized (this) {
                return take(true);
            }
        }
        return take(true);
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

    /** The next message, or null; wakes blocked senders and resumes paused connections as space frees. */
    Letter poll() {
        return taken(takeOne());
    }

    /** Like {@link #poll}, but leaves a pool batch queued (returns null). */
    Letter pollUnlessBatch() {
        if (policy == OverflowPolicy.DROP_OLDEST) {
            synchronized (this) {
                return takeUnlessBatch();
            }
        }
        return takeUnlessBatch();
    }

    private Letter takeUnlessBatch() {
        Letter next = head.next;
        return next == null || next.body instanceof Protocol.Batch ? null : taken(take(true));
    }

    private Letter taken(Letter l) {
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

    /**
     * Hands every waiting message to {@code sink}; a drained mailbox keeps no connection paused.
     * Unlike the rest, any thread: senders that find the actor terminated drain too, so drains take
     * this mailbox's lock (the baton holder no longer polls once the actor is terminated).
     */
    void drainTo(Consumer<Letter> sink) {
        Letter l;
        while (true) {
            ActorRef sender;
            Object body;
            synchronized (this) {
                l = take(true);
                if (l == null) {
                    break;
                }
                sender = l.sender;
                body = l.body;
            }
            queued.decrementAndGet();
            sink.accept(new Letter(sender, body)); // the queue's own letter is cleared by the next drain
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
