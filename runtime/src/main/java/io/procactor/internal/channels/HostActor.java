package io.procactor.internal.channels;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.Terminated;
import io.procactor.internal.core.ProcessWatch;
import io.procactor.internal.wire.ChannelMessages;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * What every host of a node-hosted object does: refuse handles of another system, keep asks
 * waiting with a deadline it enforces itself, and watch the processes that used the object so it
 * hears when one exits. Subclasses handle the operations.
 *
 * <p>Threading: an actor; every method runs on its one thread at a time.
 */
abstract class HostActor extends Actor {
    /** "queue [jobs]": how errors name the object. */
    protected final String what;
    private final long system;
    private final Set<String> watched = new HashSet<>();
    private long nextId;
    /** Items too big for the object's ring, by id, until taken (see {@link ChannelMessages.Spill}). */
    private final Spills spilled = new Spills();
    private boolean sweepScheduled;
    /**
     * How long a spilled item of a dead producer that no ring record names stays before it is
     * dropped: a consumer that copied its record out asks for it within moments, and gives up
     * after {@code Channels.QUICK} (30 s) anyway.
     */
    static final Duration SPILL_GRACE = Duration.ofSeconds(40);
    /** Shortens {@link #SPILL_GRACE} for tests (milliseconds); read at each use. */
    static final String SPILL_GRACE_PROPERTY = "procactor.test.spill-grace-ms";

    /** Sent by a waiting ask's timer: its wait ran out. Local only, never on the wire. */
    record Expire(long id) {
    }

    /** Sent by the spill sweep's timer. Local only, never on the wire. */
    record SweepSpills() {
    }

    HostActor(String what, long system) {
        this.what = what;
        this.system = system;
    }

    @Override
    protected final void onReceive(Object message) throws Exception {
        if (message instanceof Expire e) {
            expired(e.id());
        } else if (message instanceof Terminated t) {
            watched.remove(t.ref().processName());
            processExited(t.ref().processName(), t.status());
            if (spilled.exited(t.ref().processName())) {
                suspectSpills();
            }
        } else if (message instanceof SweepSpills) {
            sweepScheduled = false;
            int dropped = spilled.sweep(System.nanoTime());
            if (dropped > 0) {
                org.slf4j.LoggerFactory.getLogger(HostActor.class).info("{} dropped {} item(s) too big for its ring that a "
                        + "process spilled and never put: it died first", what, dropped);
            }
            if (spilled.hasSuspects()) {
                scheduleSweep();
            }
        } else if (message instanceof ChannelMessages.Op op) {
            if (op.system() != system) {
                if (sender() == null) {
                    return; // a one-way operation: nobody to tell
                }
                reply(new ChannelMessages.Refused(ChannelMessages.OTHER_SYSTEM, what + " belongs to another actor system than "
                        + "the one this handle reached it through; a handle works only in the system that created it: create the "
                        + "object in this system, or send the handle only to processes of its own system"));
                return;
            }
            if (op instanceof ChannelMessages.OneWay) {
                handle(op);
                return;
            }
            if (sender() == null) {
                return; // a tell: nobody to answer, and every other operation answers
            }
            watch(sender().processName());
            if (op instanceof ChannelMessages.Spill s) {
                reply(spilled.add(s.item(), askerProcess()));
            } else if (op instanceof ChannelMessages.Control c && c.op() == ChannelMessages.SPILLED) {
                reply(spilled.size());
            } else if (op instanceof ChannelMessages.Unspill u) {
                Object item = spilled.take(u.id());
                reply(item != null ? new ChannelMessages.Value(item) : new ChannelMessages.Refused(ChannelMessages.CLOSED,
                        what + " no longer holds the item its ring named (its system is closing)"));
            } else {
                handle(op);
            }
        } else {
            unhandled(message);
        }
    }

    /**
     * Reports the spill id of every record in the object's ring now; false when this host cannot
     * look (it knows no ring, or the consumers' lock did not come): then no spill is dropped.
     */
    protected boolean spillIdsInRing(java.util.function.LongConsumer ids) {
        return false;
    }

    /** Marks the spills of dead producers that no ring record names, to be dropped after the grace. */
    private void suspectSpills() {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        if (spillIdsInRing(ids::add) && spilled.suspect(c -> ids.forEach(c::accept), System.nanoTime(), spillGrace().toNanos())) {
            scheduleSweep();
        }
    }

    private void scheduleSweep() {
        if (!sweepScheduled) {
            sweepScheduled = true;
            context().scheduleOnce(spillGrace(), new SweepSpills());
        }
    }

    private static Duration spillGrace() {
        Long ms = Long.getLong(SPILL_GRACE_PROPERTY);
        return ms == null ? SPILL_GRACE : Duration.ofMillis(ms);
    }

    /** Handles an operation of this object's own system; {@code sender()} is the asker. */
    protected abstract void handle(ChannelMessages.Op op) throws Exception;

    /** The wait of the entry {@code id} ran out: answer it with a timeout, if it still waits. */
    protected abstract void expired(long id);

    /** The host stops (its system closes): answer every waiting ask with {@code refusal}. */
    protected abstract void refuseWaiting(ChannelMessages.Refused refusal);

    @Override
    protected final void postStop() {
        refuseWaiting(new ChannelMessages.Refused(ChannelMessages.CLOSED, what + " is gone: its actor system is closing. "
                + "Objects live as long as the system that created them"));
    }

    /** A process that used this object exited (nobody there waits any more). */
    protected abstract void processExited(String process, ExitStatus status);

    /** A new id for a waiting ask. */
    protected final long nextId() {
        return ++nextId;
    }

    /** Starts the timer that ends the wait of entry {@code id} after {@code waitNanos}. */
    protected final java.util.concurrent.Future<?> timer(long id, long waitNanos) {
        return context().scheduleOnce(Duration.ofNanos(waitNanos), new Expire(id));
    }

    /** The process of the current asker. */
    protected final String askerProcess() {
        return sender().processName();
    }

    protected final void refuse(ActorRef to, int kind, String message) {
        to.tell(new ChannelMessages.Refused(kind, message), self());
    }

    protected final void refuse(int kind, String message) {
        refuse(sender(), kind, message);
    }

    /**
     * Refuses an item a child could never receive (put by the node itself, so not serialized yet).
     * Returns false after answering the asker.
     */
    protected final boolean encodable(Object item) {
        if (!askerProcess().equals(Protocol.NODE)) {
            return true; // it crossed a process boundary to get here
        }
        try {
            ProcessWatch.requireEncodable(self(), item);
            return true;
        } catch (RuntimeException e) {
            refuse(ChannelMessages.MISUSE, what + " cannot hold [" + item.getClass().getName() + "]: " + e.getMessage());
            return false;
        }
    }

    static String millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis() + " ms";
    }

    private void watch(String process) {
        if (!process.equals(Protocol.NODE) && watched.add(process)) {
            context().watch(ProcessWatch.of(self(), process));
        }
    }
}
