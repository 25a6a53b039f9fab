package io.procactor.internal.core;

import io.procactor.transport.Transport;

/**
 * Whether one actor may run its turn on the I/O thread that delivered its message, instead of
 * waking a dispatcher thread (and, for its reply, the I/O thread again): only an actor that has
 * proven cheap. It earns it with {@link #LEARN} messages in a row each handled in at most
 * {@link #SLOW_NANOS} (timed on the dispatcher), and uses it only for a message that does not
 * follow its last such turn closely ({@link #STREAM_GAP_NANOS}); it loses it with the first slower message (then
 * needs twice as many cheap ones, up to {@code LEARN << MAX_DOUBLINGS}), and for good when it
 * blocked on an ask while on the I/O thread. Losses are not final otherwise: the timing is wall
 * time, and a thread preempted on a busy machine makes a cheap message look slow. A turn on the I/O thread is bounded (see
 * {@code ActorCell.runInline}), never nests, and never runs a pool batch, a start, a stop or a
 * restart. What stays possible: the first slow message of a proven-cheap actor delays that I/O
 * thread's other connections by that message's time; an actor that is slow now and then does so
 * at most once per {@code LEARN << MAX_DOUBLINGS} (16,384) cheap messages.
 *
 * <p><b>Off by default</b>; on with {@code -Dprocactor.actor.io-inline=true} or the environment
 * variable {@code PROCACTOR_IO_INLINE=true} (inherited by child JVMs). Off because of that first slow
 * message: an actor that answers thousands of quick pings and then computes for a minute would hold
 * its process's I/O thread, heartbeats included, for that minute, and the node would kill the
 * process as unresponsive. Turn it on for processes whose actors are all cheap.
 *
 * <p>Threads: {@link #eligible()} from any thread; {@link #handled}, {@link #learning} by the
 * cell's baton holder; {@link #enter}/{@link #leave} on the running thread.
 */
final class IoInline {
    /** The switch; volatile only so that IoInlineTest can turn it on for its cells. */
    static volatile boolean enabled = "true".equalsIgnoreCase(
            System.getProperty("procactor.actor.io-inline", System.getenv().getOrDefault("PROCACTOR_IO_INLINE", "false")).trim());
    /** A message handled slower than this is not cheap (measured on the dispatcher it includes the hand-off of its reply to the I/O thread: a wake-up, tens of µs on a loaded virtual machine). */
    static final long SLOW_NANOS = 250_000;
    /** One turn on an I/O thread ends after this long (the rest goes to the dispatcher). */
    static final long BUDGET_NANOS = 500_000;
    static final int LEARN = 256;
    /** Each loss doubles the cheap messages needed to come back, this many times at most. */
    static final int MAX_DOUBLINGS = 6;
    /** The cell whose turn this thread runs on an I/O thread, if any. */
    private static final ThreadLocal<IoInline[]> RUNNING = ThreadLocal.withInitial(() -> new IoInline[1]);

    /**
     * A message that comes less than this after the cell's last turn on the I/O thread ended is
     * part of a stream (a pipelined or one-way flow): the dispatcher takes it, so reading and
     * handling overlap on two threads and the dispatcher works through the mailbox in batches.
     * Inline turns are for the message that comes alone, where a hand-off is pure latency.
     */
    static final long STREAM_GAP_NANOS = 20_000;

    private volatile boolean eligible;
    private int cheapInARow;
    private int demotions;
    /** Blocked on an ask while on an I/O thread: never again. */
    private boolean banned;
    /** When the last turn on an I/O thread ended (baton holder; published by the baton). */
    private long lastTurnEnd = System.nanoTime() - STREAM_GAP_NANOS;

    boolean eligible() {
        return eligible;
    }

    /** Whether the dispatcher should time this cell's messages (it may still earn the I/O thread). */
    boolean learning() {
        return enabled && !eligible && !banned;
    }

    /** Records one message's handling time; false when it was slow (the cell leaves the I/O thread). */
    boolean handled(long nanos) {
        if (nanos > SLOW_NANOS) {
            cheapInARow = 0;
            if (eligible) {
                eligible = false;
                demotions++;
            }
            return false;
        }
        if (!eligible && !banned && ++cheapInARow >= LEARN << Math.min(demotions, MAX_DOUBLINGS)) {
            eligible = true;
        }
        return true;
    }

    /**
     * Enters a turn of the cell on this thread (baton held): false unless this is an I/O thread
     * not already in one and the message does not follow the last turn within {@link #STREAM_GAP_NANOS}.
     */
    boolean enter() {
        if (!Transport.isIoThread() || System.nanoTime() - lastTurnEnd < STREAM_GAP_NANOS) {
            return false;
        }
        IoInline[] running = RUNNING.get();
        if (running[0] != null) {
            return false;
        }
        running[0] = this;
        return true;
    }

    /** Ends the turn (baton still held) at {@code now}. */
    void leave(long now) {
        lastTurnEnd = now;
        RUNNING.get()[0] = null;
    }

    /**
     * The calling thread is about to block (an ask's {@code get()}): if it is an I/O thread running
     * an actor's turn, that actor never runs there again (the reply it waits for may have to come
     * in on this very thread), and the turns this read made due are submitted now: the actor asked
     * may be one of them.
     */
    static void blocking() {
        IoInline[] running = RUNNING.get();
        IoInline cell = running[0];
        if (cell != null) {
            cell.eligible = false;
            cell.banned = true;
            try {
                ReadBatchWakeups.flush();
            } catch (RuntimeException closing) {
                // a dispatcher refused: the process is going away, and the ask ends with it
            }
        }
    }
}
