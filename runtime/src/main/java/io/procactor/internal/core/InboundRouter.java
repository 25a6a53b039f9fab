package io.procactor.internal.core;

import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;

/**
 * The messages every connection can carry, node or child, handled in one place: an
 * {@link Protocol.Envelope} for an actor (or ask) of this process is delivered, one for another
 * process is relayed on its route (the node relays for children not yet connected to each other)
 * or becomes a dead letter with the reason {@link ProcessCore#undeliverable} gives; a watch
 * message ({@link Protocol.Routed}) is handled here or relayed. The node's and a child's inbound
 * handlers add only their control messages.
 *
 * <p>A delivery that makes an idle actor due defers its dispatcher wake-up to the end of the
 * read ({@link ReadBatchWakeups}): whoever calls {@link #route} calls {@link #readComplete} from
 * its {@link io.procactor.transport.Inbound#onReadComplete}.
 *
 * <p>Threads: called on the I/O thread of the connection the message came in on; never blocks
 * (delivery enqueues; relaying queues on an association). Stateless apart from its core and the
 * I/O thread's deferred wake-ups; thread-safe.
 */
public final class InboundRouter {
    private final ProcessCore core;

    public InboundRouter(ProcessCore core) {
        this.core = core;
    }

    /**
     * Handles {@code message} if it is one of the kinds every connection carries.
     *
     * @param source the connection it came in on: a full mailbox may pause reading from it
     * @return false when it is none of them: the caller's control protocol takes it
     */
    public boolean route(Object message, Connection source) {
        if (message instanceof Protocol.Envelope e) {
            RefImpl target = (RefImpl) e.target();
            if (target.processName().equals(core.processName())) {
                core.deliverLocal(target, e.sender(), e.body(), source);
            } else {
                ProcessDirectory.Route route = core.directory().route(target.processName());
                if (route instanceof ProcessDirectory.Linked linked) {
                    linked.association().send(e); // relayed as it came
                } else {
                    core.undeliverable(target, e.sender(), e.body(), route);
                }
            }
            return true;
        }
        if (message instanceof Protocol.Routed r) {
            if (r.targetProcess().equals(core.processName())) {
                core.handleSystem(r);
            } else if (core.directory().route(r.targetProcess()) instanceof ProcessDirectory.Linked linked) {
                linked.association().send(r);
            } // else the target's process is gone: its ProcessDown already told the watchers
            return true;
        }
        return false;
    }

    /** The I/O thread finished a read: wakes the dispatcher for the actors its messages made due. */
    public void readComplete() {
        ReadBatchWakeups.flush();
    }
}
