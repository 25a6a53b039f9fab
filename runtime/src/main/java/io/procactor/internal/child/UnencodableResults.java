package io.procactor.internal.child;

import io.procactor.ActorRef;
import io.procactor.MessageSerializationException;
import io.procactor.internal.core.Failures;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.SerializationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends a pool batch's result even when some replies in it cannot be encoded: each such reply is
 * replaced by a {@link Protocol.Failure} of type {@link MessageSerializationException} that names
 * the class and how to register it, so that the task fails at once on the node instead of leaving
 * its map waiting for a result that never comes (and only an ERROR in this child's log).
 *
 * <p>The encoder names one unregistered class per attempt: replies of that class are replaced and
 * the rest tried again. When the named class is none of the replies' own (it sits inside one, or
 * the whole frame is too large), every remaining reply fails with that cause. Stateless; thread-safe.
 */
final class UnencodableResults {
    private UnencodableResults() {
    }

    /**
     * Sends {@code result} through {@code send}, replacing replies that cannot be encoded.
     *
     * @param send  encodes and sends one message, or throws {@link SerializationException} having sent nothing
     * @param actor the worker's actor, named in the failures
     */
    static void send(Protocol.BatchResult result, ActorRef actor, Consumer<Object> send) {
        Protocol.BatchResult attempt = result;
        while (true) {
            try {
                send.accept(attempt);
                return;
            } catch (SerializationException e) {
                attempt = replace(attempt, e, actor);
            }
        }
    }

    private static Protocol.BatchResult replace(Protocol.BatchResult r, SerializationException e, ActorRef actor) {
        MessageSerializationException error = Failures.serialization(e);
        List<Object> results = new ArrayList<>(r.results());
        boolean replacedOne = false;
        for (int i = 0; i < results.size(); i++) {
            Object o = results.get(i);
            if (o != null && o.getClass().getName().equals(e.className())) {
                results.set(i, failure(i, o, error, actor));
                replacedOne = true;
            }
        }
        if (!replacedOne) {
            boolean any = false;
            for (int i = 0; i < results.size(); i++) {
                Object o = results.get(i);
                if (!(o instanceof Protocol.Failure)) {
                    results.set(i, failure(i, o, error, actor));
                    any = true;
                }
            }
            if (!any) {
                throw e; // only failures left and still not encodable: nothing more to replace
            }
        }
        return new Protocol.BatchResult(r.id(), results, r.serviceNanos(), r.queueDepth());
    }

    private static Protocol.Failure failure(int index, Object reply, MessageSerializationException error, ActorRef actor) {
        String type = reply == null ? "null" : reply.getClass().getName();
        return new Protocol.Failure(MessageSerializationException.class.getName(), "the reply of type [" + type
                + "] to task " + index + " of its batch could not be sent back to the pool: " + error.getMessage(), "",
                actor == null ? "" : actor.path());
    }
}
