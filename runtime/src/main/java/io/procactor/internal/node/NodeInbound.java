package io.procactor.internal.node;

import io.procactor.internal.core.InboundRouter;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Admission;
import io.procactor.transport.Connection;
import io.procactor.transport.Hello;
import io.procactor.transport.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of each child's control connection: accepts the connection of a child the node
 * is starting (and refuses any other), then dispatches what the child sends. Messages for actors
 * and watch messages go to the {@link InboundRouter}; the control protocol (heartbeat PONGs,
 * pool results, readiness, address lookups, exit notices, status replies) is handled here.
 *
 * <p>Threads: {@link #admit}, the acceptance and every message of a connection on that connection's I/O thread;
 * must not block. Stateless apart from its collaborators; thread-safe.
 */
final class NodeInbound {
    private static final Logger log = LoggerFactory.getLogger(NodeInbound.class);
    private final ChildDirectory children;
    private final InboundRouter router;
    private final AdminStatus status;

    NodeInbound(ChildDirectory children, InboundRouter router, AdminStatus status) {
        this.children = children;
        this.router = router;
        this.status = status;
    }

    /**
     * Decided before the node answers anything (see {@link ChildHandle#refusal}): a refused peer
     * gets REFUSE, never WELCOME, and nothing it sends is decoded.
     */
    Admission admit(Hello hello) {
        ChildHandle child = children.get(hello.peer().name());
        String refusal = child == null ? "not a child this node is starting" : child.refusal(hello);
        return refusal != null ? Admission.refuse(refusal) : Admission.accept(c -> accepted(child, c));
    }

    /** The connection of a child this node is starting, admitted. */
    private Inbound accepted(ChildHandle child, Connection c) {
        children.connected(child, c);
        child.connected(c);
        return new Inbound() {
            @Override
            public void onMessage(Connection connection, Object message) {
                fromChild(child, connection, message);
            }

            @Override
            public void onPong(Connection connection) {
                child.heard(); // the answer to a heartbeat's PING
            }

            @Override
            public void onReadComplete(Connection connection) {
                router.readComplete();
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
                if (cause != null) {
                    log.warn("Control connection of process [{}] failed: {}", child.name(), cause.toString());
                }
            }
        };
    }

    private void fromChild(ChildHandle child, Connection connection, Object message) {
        child.heard();
        if (message instanceof Protocol.BatchResult r) { // a pool task's result: no envelope, see ProcessCore.sendBatch
            child.batchResult(r);
            return;
        }
        if (router.route(message, connection)) { // for the node's actors, or relayed for children not yet connected to each other
            return;
        }
        if (message instanceof Protocol.Resolve r) {
            children.resolve(child, r.process());
        } else if (message instanceof Protocol.ActorStarted) {
            child.actorStarted();
        } else if (message instanceof Protocol.ChildReady r) {
            child.listening(r.endpoint());
            children.ready(child, r.endpoint());
        } else if (message instanceof Protocol.ActorStopped s) {
            if (s.failure() != null) {
                if (s.name().equals(child.name())) {
                    child.actorStartFailed(s.failure());
                }
                log.error("Actor [{}] in process [{}] failed to start: {}: {}", s.name(), child.name(),
                        s.failure().className(), s.failure().message());
            }
        } else if (message instanceof Protocol.Exiting x) {
            child.exiting(x);
        } else if (message instanceof Protocol.StatusReply r) {
            status.reply(r);
        } else {
            log.warn("Unexpected message from process [{}]: {}", child.name(), message.getClass().getName());
        }
    }
}
