package io.procactor.internal.wire;

import java.util.List;

/**
 * The wire records of the node-hosted objects (queue, pipe, event, managed map; ids 144-159, the
 * handles themselves are 140-143, see {@link Protocol#register}). Most records go from a handle
 * to the object's host actor in the node as an ask; the host answers with a value, a list, a
 * {@link Value} or a {@link Refused}. The hot paths are one-way ({@link OneWay}, or tells whose
 * sender is a local inbox of the handle's process): queue batches, grants, acknowledgements and
 * pushed batches, pipe sends and pushed items. {@code system} is the id of the system the handle was made
 * by, so that a handle that strayed into another system is refused instead of used. A
 * {@code waitNanos} is how long the host may keep the ask waiting; the host itself answers when it
 * runs out, so it only ever hands an item to an ask that is still waiting.
 *
 * <p>Threads: every record is immutable and may be sent from any thread.
 */
public final class ChannelMessages {
    /** {@link Control} operations. */
    public static final int SIZE = 1;
    public static final int CLOSE = 2;
    public static final int SET = 3;
    public static final int CLEAR = 4;
    public static final int IS_SET = 5;
    /** Queue or pipe host: how many items too big for the ring it keeps (diagnostics and tests). */
    public static final int SPILLED = 6;

    /** {@link Refused} kinds. */
    public static final int TIMEOUT = 1;
    public static final int CLOSED = 2;
    public static final int END_OF_STREAM = 3;
    public static final int MISUSE = 4;
    public static final int OTHER_SYSTEM = 5;

    /** {@link MapOp} operations. */
    public static final int GET = 1;
    public static final int PUT = 2;
    public static final int PUT_IF_ABSENT = 3;
    public static final int REMOVE = 4;
    public static final int REPLACE = 5;
    public static final int ADD = 6;
    public static final int KEYS = 7;
    public static final int SNAPSHOT = 8;
    public static final int CLEAR_MAP = 9;
    public static final int MAP_SIZE = 10;
    /** {@code value} is a {@code Task.Fn} from the old value (null: absent) to the new one (null: remove). */
    public static final int COMPUTE = 11;
    /** {@code expected} is a {@code Task.Fn2} from the old and the given value to the new one (null: remove). */
    public static final int MERGE = 12;

    private ChannelMessages() {
    }

    /** An operation on a hosted object, made by the system with id {@link #system()}. */
    public interface Op extends Protocol.AnsweredWhenUndeliverable {
        long system();

        /** Its host is gone: the waiting local inbox is told the object is closed. */
        @Override
        default Object undeliverableAnswer(String targetPath) {
            return new Refused(CLOSED, "the object hosted at [" + targetPath + "] is gone: its actor system is closed. Objects live "
                    + "as long as the system that created them; create it again in a running system");
        }
    }

    /**
     * Queue: append {@code items} in order, all at once, waiting for room; answered with {@code true}.
     * {@code returned} is the room granted to the asker's process (see {@link QueueBatch}) that it gives back.
     */
    public record QueuePut(long system, List<Object> items, long waitNanos, int returned) implements Op {
    }

    /**
     * Queue: a producer process's inbox joins, to be granted room ({@link QueueGrant}) for its
     * {@link QueueBatch}es; answered with {@code true}. Id 157.
     */
    public record QueueJoin(long system, io.procactor.ActorRef inbox) implements Op {
    }

    /**
     * Queue: items a producer process puts, covered by room granted to it; a tell from its inbox,
     * in put order. {@code last}: the producer saw the queue closed and sends nothing more.
     * {@code returned}: -1, or this batch answers a {@link QueueGrant} with a negative count and
     * gives back that much unused room. Id 158.
     */
    public record QueueBatch(long system, List<Object> items, boolean last, int returned) implements OneWay {
    }

    /** Queue, to a producer's inbox: room for {@code count} more items, or when negative, give back up to {@code -count}. Id 159. */
    public record QueueGrant(int count) {
    }

    /**
     * Queue: take 1 to {@code max} items, waiting for the first; answered with the items as a list.
     * A negative {@code waitNanos}: sent as a tell by a consumer process's inbox, which waits for the
     * answer itself (the host keeps it waiting until there are items, the queue ends or the process exits).
     */
    public record QueueTake(long system, int max, long waitNanos) implements Op {
    }

    /** An operation sent as a tell: the host answers nothing and needs no sender. */
    public interface OneWay extends Op {
    }

    /**
     * Queue: the process {@code process} consumed the {@code count} oldest items leased to it (see
     * {@code QueueLocal}); a tell. Id 156.
     */
    public record QueueAck(long system, String process, long count) implements OneWay {
    }

    /** An operation without arguments ({@link #SIZE}, {@link #CLOSE}, {@link #SET}, ...). */
    public record Control(long system, int op) implements Op {
    }

    /** Pipe: send {@code item} from end {@code end} (0 or 1) to the other end; a tell whose sender is the sending process's inbox. */
    public record PipeSend(long system, int end, Object item) implements Op {
    }

    /** Pipe: receive at end {@code end}; answered with the item. No longer sent (ends receive in their inbox); kept for its id. */
    public record PipeRecv(long system, int end, long waitNanos) implements Op {
    }

    /**
     * Pipe: the asker's process uses end {@code end}; push what arrives for it to {@code inbox}.
     * Answered with whether the pipe is duplex. Id 155.
     */
    public record PipeOpen(long system, int end, io.procactor.ActorRef inbox) implements Op {
    }

    /** Pipe: close end {@code end}; answered with {@code true}. */
    public record PipeClose(long system, int end) implements Op {
    }

    /** Event: wait until set; answered with whether it is set. */
    public record EventWait(long system, long waitNanos) implements Op {
    }

    /** Managed map: one operation on {@code key}; answered with a {@link Value}, a Boolean or a Long. */
    public record MapOp(long system, int op, Object key, Object value, Object expected) implements Op {
    }

    /** The operation failed: {@code kind} says how (a handle turns it into its exception), {@code message} says why. */
    /**
     * An item too big for a queue's or pipe's ring (wire id 185): the host keeps it and answers
     * its id (a Long), which goes through the ring in its place. A queue's host drops it once its
     * producer died and no ring record names it for a grace period (the producer died before its
     * put wrote the id); a pipe's host keeps it until the pipe goes.
     */
    public record Spill(long system, Object item) implements Op {
    }

    /** Fetches and forgets the spilled item {@code id} (wire id 186): answered with a {@link Value}. */
    public record Unspill(long system, long id) implements Op {
    }

    public record Refused(int kind, String message) {
    }

    /** Queue: the answer to a {@link QueueTake}, oldest first. */
    public record Items(List<Object> items) {
    }

    /** A map's value, null when absent. */
    public record Value(Object value) {
    }
}
