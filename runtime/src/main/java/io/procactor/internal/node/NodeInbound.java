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
 * is starting or of a spare it started (and refuses any other), then dispatches what the child sends. Messages for actors
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
    private final java.util.function.Supplier<SparePool> spares;
    private final java.util.concurrent.atomic.AtomicLong processConnections = new java.util.concurrent.atomic.AtomicLong();

    /** @param spares the spare pool, made after this (asked only when a spare connects) */
    NodeInbound(ChildDirectory children, InboundRouter router, AdminStatus status,
                java.util.function.Supplier<SparePool> spares) {
        this.children = children;
        this.router = router;
        this.status = status;
        this.spares = spares;
    }

    /**
     * Decided before the node answers anything (see {@link ChildHandle#refusal}, {@link SparePool#admit}):
     * a refused peer gets REFUSE, never WELCOME, and nothing it sends is decoded.
     */
    Admission admit(Hello hello) {
        if (SparePool.isLabel(hello.peer().name())) {
            SparePool pool = spares.get();
            return pool.admit(hello, (spare, c) -> inbound(spare::owner, () -> pool.idleConnectionLost(spare)));
        }
        ChildHandle child = children.get(hello.peer().name());
        String refusal = child == null ? "not a child this node is starting" : child.refusal(hello);
        return refusal != null ? Admission.refuse(refusal) : Admission.accept(c -> accepted(child, c));
    }

    /** The connection of a child this node is starting, admitted. */
    private Inbound accepted(ChildHandle child, Connection c) {
        processConnections.incrementAndGet();
        connected(child, c);
        return inbound(() -> child, () -> { });
    }

    /** Connections admitted under a process's name: a JVM launched for it (one from a spare opens none). */
    long processConnections() {
        return processConnections.get();
    }

    /** {@code child} is connected on {@code c} (its own connection, or the one of the spare it was given). */
    void connected(ChildHandle child, Connection c) {
        children.connected(child, c);
        child.connected(c);
    }

    /**
     * What a child's connection delivers goes to {@code owner}, its process: for a spare's, null
     * until the spare is given one, when nothing should arrive; {@code idleClosed} runs if it
     * closes before.
     */
    private Inbound inbound(java.util.function.Supplier<ChildHandle> owner, Runnable idleClosed) {
        return new Inbound() {
            @Override
            public void onMessage(Connection connection, Object message) {
                ChildHandle child = owner.get();
                if (child != null) {
                    fromChild(child, connection, message);
                } else {
                    log.warn("Unexpected message from an idle spare {}: {}", connection.peer(), message.getClass().getName());
                }
            }

            @Override
            public void onPong(Connection connection) {
                ChildHandle child = owner.get();
                if (child != null) {
                    child.heard(); // the answer to a heartbeat's PING
                }
            }

            @Override
            public void onReadComplete(Connection connection) {
                router.readComplete();
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
                ChildHandle child = owner.get();
                if (child == null) {
                    idleClosed.run();
                } else if (cause != null) {
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
        if (message instanceof Protocol.BatchPart p) { // results that did not fit in one frame; their BatchResult follows
            child.batchPart(p);
            return;
        }
        if (router.route(message, connection)) { // for the node's actors, or relayed for children not yet connected to each other
            return;
        }
        if (message instanceof Protocol.Resolve r) {
            children.resolve(child, connection, r.process());
        } else if (message instanceof Protocol.ActorStarted) {
            child.actorStarted();
        } else if (message instanceof Protocol.ChildReady r) {
            child.listening(r.endpoint());
            children.ready(child, connection, r.endpoint());
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
