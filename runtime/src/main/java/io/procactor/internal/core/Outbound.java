package io.procactor.internal.core;

import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.MessageSerializationException;
import io.procactor.internal.config.OverflowPolicy;
import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import java.util.function.Supplier;

/**
 * What this JVM sends to other processes: the envelope on the route {@link ProcessCore} resolved,
 * the registration pre-check while an association still waits for its connection (an encoding
 * failure must reach the sender, not a later flush), pool batches, and what becomes of a message
 * that has no route or could not be sent (a failed ask, or a dead letter with its reason).
 *
 * <p>Threads: thread-safe, stateless apart from its collaborators. {@code send} and
 * {@code sendBatch} on sender threads (user, dispatcher, or I/O when relaying);
 * {@code unsendable} on whichever thread found the association closed or its connection failing.
 */
final class Outbound {
    private final ProcessCore core;
    private final Settings settings;
    private final Supplier<Registrations> registrations;

    Outbound(ProcessCore core, Settings settings, Supplier<Registrations> registrations) {
        this.core = core;
        this.settings = settings;
        this.registrations = registrations;
    }

    /**
     * A link to {@code process} whose senders wait (up to the mailbox block-timeout) while it is full;
     * with overflow = block, also while a mailbox's worth of messages waits for its connection.
     */
    Association newAssociation(String process) {
        boolean block = settings.overflow() == OverflowPolicy.BLOCK;
        return new Association(process, this::unsendable, settings.blockTimeout().toMillis(),
                block ? settings.mailboxCapacity() : Integer.MAX_VALUE);
    }

    /** Sends to {@code target} of another process along {@code route}, resolved by the caller. */
    void send(RefImpl target, Object message, ActorRef sender, ProcessDirectory.Route route) {
        if (!(route instanceof ProcessDirectory.Linked linked)) {
            undeliverable(target, sender, message, route);
            return;
        }
        Association link = linked.association();
        Protocol.Envelope envelope = new Protocol.Envelope(target, sender, message);
        if (link.connection() == null) {
            checkRegistered(message);
        }
        try {
            link.send(envelope);
        } catch (SerializationException e) {
            throw Failures.serialization(e);
        }
    }

    /** A message for another process that has no route: it exited, or there is no such process. */
    void undeliverable(RefImpl target, ActorRef sender, Object message, ProcessDirectory.Route route) {
        if (route instanceof ProcessDirectory.Gone gone) {
            core.deadLetter(target, sender, message, DeadLetters.PROCESS_EXITED, "its process exited: " + gone.status());
        } else {
            core.deadLetter(target, sender, message, DeadLetters.NO_SUCH_PROCESS,
                    "no process named [" + target.processName() + "] in system [" + core.systemName() + "]");
        }
    }

    /**
     * Sends a pool batch to the main actor of {@code process} without an envelope: the hot path of
     * every pool task carries no actor refs (their names cost more to encode and decode than a
     * small task itself). Returns false when there is no such process any more.
     *
     * @throws MessageSerializationException when an item cannot be encoded
     */
    boolean sendBatch(String process, Protocol.Batch batch) {
        if (!(core.directory().route(process) instanceof ProcessDirectory.Linked linked)) {
            return false;
        }
        Association link = linked.association();
        if (link.connection() == null) {
            for (Object item : batch.items()) { // waiting items are encoded later, where no caller hears of a failure
                checkRegistered(item);
            }
        }
        try {
            link.send(batch, false); // the pool sends under its lock, which the I/O threads need for results: never wait here
        } catch (SerializationException e) {
            throw Failures.serialization(e);
        }
        return true;
    }

    /** A message that waited for a link could not be sent: fail its ask, else count it as a dead letter. */
    void unsendable(Object message, RuntimeException cause) {
        if (!(message instanceof Protocol.Envelope e)) {
            return;
        }
        RefImpl target = (RefImpl) e.target();
        String type = Failures.typeName(e.body());
        ExitStatus status = core.directory().exitStatus(target.processName()).orElse(null);
        RuntimeException error = cause instanceof SerializationException se ? Failures.serialization(se)
                : status != null ? AskTable.terminated(target, type, status)
                : Failures.notSent(type, target.path(), cause.getMessage());
        if (e.sender() instanceof AskRef s && s.processName().equals(core.processName())) {
            core.asks().fail(s.id(), error);
        } else {
            core.deadLetter(target, e.sender(), e.body(), DeadLetters.NOT_SENT, error.getMessage());
        }
    }

    void checkRegistered(Object message) {
        if (message != null && message.getClass().isHidden() && message.getClass().isSynthetic()) {
            // a lambda: its class is never in the table; the function codec decides (functions as tasks)
            try {
                io.procactor.internal.wire.LambdaCodec.requireSendable(message, registrations.get());
            } catch (SerializationException e) {
                throw Failures.serialization(e);
            }
            return;
        }
        // String is one of Kryo's built-in classes (ids 0-9), which are not listed in the table
        if (message != null && !(message instanceof String) && registrations.get().byType(message.getClass()).isEmpty()) {
            String type = message.getClass().getName();
            throw Failures.serialization(new SerializationException("class [" + type + "] is not registered for serialization",
                    type, null));
        }
    }
}
