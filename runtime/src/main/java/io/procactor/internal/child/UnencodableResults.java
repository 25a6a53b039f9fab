package io.procactor.internal.child;

import io.procactor.ActorRef;
import io.procactor.MessageSerializationException;
import io.procactor.internal.core.Failures;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.FrameTooLargeException;
import io.procactor.transport.SerializationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends a pool batch's result whatever it holds, so that every task ends on the node instead of
 * leaving its map waiting for a result that never comes (and only an ERROR in this child's log):
 *
 * <ul>
 *   <li>results that do not fit in one frame together go in {@link Protocol.BatchPart}s, halved
 *       until each fits, the {@link Protocol.BatchResult} last (Python's pool has no frame limit:
 *       a chunk of 12,500 replies of 1 KB each must not fail for their sum);</li>
 *   <li>a reply that cannot be encoded is replaced by a {@link Protocol.Failure} of type
 *       {@link MessageSerializationException} that names the class and how to register it; one too
 *       large by itself, by one that says so; a failure too large by itself loses its stack trace,
 *       then most of its message.</li>
 * </ul>
 *
 * <p>The encoder names one unregistered class per attempt: replies of that class are replaced and
 * the rest tried again. When the named class is none of the replies' own (it sits inside one),
 * every remaining reply fails with that cause. Stateless; thread-safe.
 */
final class UnencodableResults {
    /** What a failure's message keeps when even without its stack trace it does not fit in a frame. */
    private static final int CUT_MESSAGE = 200;
    /** How the failure that replaces a result that cannot be sent in any form begins. */
    private static final String LAST = "the result could not be sent back: ";
    /** How a failure's message cut to {@link #CUT_MESSAGE} ends. */
    private static final String CUT = "... (cut: over max-frame-size)";

    private UnencodableResults() {
    }

    /**
     * Sends {@code result} through {@code send}, in parts when it does not fit in one frame,
     * replacing replies that cannot be encoded.
     *
     * @param send  encodes and sends one message, or throws {@link SerializationException} having sent nothing
     * @param actor the worker's actor, named in the failures
     */
    static void send(Protocol.BatchResult result, ActorRef actor, Consumer<Object> send) {
        deliver(result, 0, result.results(), true, actor, send);
    }

    /**
     * Sends {@code results}, the batch's from index {@code from} on, as its result when {@code last},
     * else as a part; what does not fit in a frame goes in halves, in order.
     */
    private static void deliver(Protocol.BatchResult r, int from, List<Object> results, boolean last, ActorRef actor,
            Consumer<Object> send) {
        List<Object> attempt = new ArrayList<>(results);
        while (true) {
            try {
                send.accept(last ? new Protocol.BatchResult(r.id(), attempt, r.serviceNanos(), r.queueDepth())
                        : new Protocol.BatchPart(r.id(), attempt));
                return;
            } catch (FrameTooLargeException e) {
                if (attempt.size() > 1) {
                    int half = attempt.size() / 2;
                    deliver(r, from, attempt.subList(0, half), false, actor, send);
                    deliver(r, from + half, attempt.subList(half, attempt.size()), last, actor, send);
                    return;
                }
                attempt = List.of(tooLarge(from, attempt.isEmpty() ? null : attempt.get(0), e, actor));
            } catch (SerializationException e) {
                attempt = replace(from, attempt, e, actor);
            }
        }
    }

    /** One result that is over the frame limit by itself: the failure that takes its place. */
    private static Protocol.Failure tooLarge(int index, Object result, FrameTooLargeException e, ActorRef actor) {
        if (result instanceof Protocol.Failure f) {
            if (!Objects.toString(f.stackTrace(), "").isEmpty()) {
                return new Protocol.Failure(f.className(), f.message(), "", f.actorPath());
            }
            String message = Objects.toString(f.message(), ""); // a Throwable's message may be null
            if (message.length() > CUT_MESSAGE && !message.endsWith(CUT)) {
                return new Protocol.Failure(f.className(), message.substring(0, CUT_MESSAGE) + CUT, "", f.actorPath());
            }
            if (!message.startsWith(LAST)) {
                return last(e); // a short failure over a frame of at least 1 KiB: its class name or path is huge
            }
            throw e; // even the shortest failure is over the frame: nothing is left to shrink
        }
        String type = result == null ? "null" : result.getClass().getName();
        return new Protocol.Failure(MessageSerializationException.class.getName(), "the reply of type [" + type
                + "] to task " + index + " of its batch is too large to send back by itself: " + e.getMessage()
                + "; return smaller results", "", actor == null ? "" : actor.path());
    }

    private static List<Object> replace(int from, List<Object> attempt, SerializationException e, ActorRef actor) {
        MessageSerializationException error = Failures.serialization(e);
        List<Object> results = new ArrayList<>(attempt);
        boolean replacedOne = false;
        for (int i = 0; i < results.size(); i++) {
            Object o = results.get(i);
            if (o != null && o.getClass().getName().equals(e.className())) {
                results.set(i, failure(from + i, o, error, actor));
                replacedOne = true;
            }
        }
        if (!replacedOne) {
            boolean any = false;
            for (int i = 0; i < results.size(); i++) {
                Object o = results.get(i);
                if (!(o instanceof Protocol.Failure)) {
                    results.set(i, failure(from + i, o, error, actor));
                    any = true;
                }
            }
            if (!any) {
                // only failures left and still not encodable: the shortest failure of all, once; parts of this
                // batch may have gone already, and the node must get its result
                boolean lastResort = results.stream().allMatch(o -> o instanceof Protocol.Failure f && Objects.toString(f.message(), "").startsWith(LAST));
                if (lastResort) {
                    throw e;
                }
                Protocol.Failure shortest = last(e);
                results.replaceAll(o -> shortest);
            }
        }
        return results;
    }

    /** What a result that cannot be sent in any form becomes: the cause's type and the start of its message. */
    private static Protocol.Failure last(SerializationException e) {
        String why = String.valueOf(e.getMessage());
        return new Protocol.Failure(MessageSerializationException.class.getName(), LAST
                + (why.length() > CUT_MESSAGE ? why.substring(0, CUT_MESSAGE) + "..." : why), "", "");
    }

    private static Protocol.Failure failure(int index, Object reply, MessageSerializationException error, ActorRef actor) {
        String type = reply == null ? "null" : reply.getClass().getName();
        return new Protocol.Failure(MessageSerializationException.class.getName(), "the reply of type [" + type
                + "] to task " + index + " of its batch could not be sent back to the pool: " + error.getMessage(), "",
                actor == null ? "" : actor.path());
    }
}
