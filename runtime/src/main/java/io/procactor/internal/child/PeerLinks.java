package io.procactor.internal.child;

import io.procactor.ExitStatus;
import io.procactor.internal.core.Association;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.ProcessDirectory;
import io.procactor.internal.wire.AgentMessages;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Transport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child's directory of the other processes: the association to the node, and one {@link Peer}
 * record per other child it has heard of or sent to (where it listens, the association to it,
 * whether the node was asked where it is, and its exit status once it has exited for good).
 * Associations to other children are direct (but for a peer on another host, which the node
 * relays: {@link AgentMessages#VIA_NODE}): while a peer's address is unknown, messages wait in its
 * association (in order) and the node is asked with {@code Resolve}.
 *
 * <p>Threads: thread-safe. {@link #route} and {@link #exitStatus} on any sender, dispatcher or I/O
 * thread; {@link #peerUp} and {@link #processDown} on the I/O thread of the node's connection.
 * Each peer's record is guarded by itself; network I/O (sending {@code Resolve}, connecting,
 * closing an association) happens after its lock is released, never inside the map's compute.
 */
final class PeerLinks implements ProcessDirectory {
    private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);

    /** What this child knows of one other child. Guarded by itself. */
    private static final class Peer {
        String endpoint;
        Association association;
        /** The association waits for the node to say where the process listens. */
        boolean resolving;
        /** Set when the process has exited for good (not while it restarts). */
        ExitStatus exited;
    }

    private final ProcessCore core;
    private final Transport transport;
    private final Credentials credentials;
    private final Inbound peerInbound;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    /**
     * To the node. It exists before the connection does: the node sends the first actor and its
     * first messages as soon as it accepts us, so an actor may answer before the child has the
     * connection in hand; such answers wait here instead of getting lost.
     */
    private final Association node;
    /** The node's connection, once a PeerUp arrived on it: the route to peers on other hosts. */
    private volatile io.procactor.transport.Connection nodeConnection;

    /** @param peerInbound handles what arrives on the connections this child opens to its peers */
    PeerLinks(ProcessCore core, Transport transport, Credentials credentials, Inbound peerInbound) {
        this.core = core;
        this.transport = transport;
        this.credentials = credentials;
        this.peerInbound = peerInbound;
        this.node = core.newLink(Protocol.NODE);
    }

    Association node() {
        return node;
    }

    @Override
    public Route route(String process) {
        if (Protocol.NODE.equals(process)) {
            return new Linked(node);
        }
        Peer peer = peers.computeIfAbsent(process, p -> new Peer());
        Association created;
        String endpoint;
        synchronized (peer) {
            if (peer.exited != null) {
                return new Gone(peer.exited);
            }
            if (peer.association != null) {
                return new Linked(peer.association);
            }
            created = core.newLink(process);
            peer.association = created;
            endpoint = peer.endpoint;
            peer.resolving = endpoint == null;
        }
        if (endpoint == null) {
            node.send(new Protocol.Resolve(process)); // answered by PeerUp (or ProcessDown): see peerUp
        } else {
            connect(process, endpoint, created);
        }
        return new Linked(created);
    }

    @Override
    public Optional<ExitStatus> exitStatus(String process) {
        Peer peer = peers.get(process);
        if (peer == null) {
            return Optional.empty();
        }
        synchronized (peer) {
            return Optional.ofNullable(peer.exited);
        }
    }

    /** {@link #peerUp(String, String, io.procactor.transport.Connection)} from a caller that has no connection in hand. */
    void peerUp(String process, String endpoint) {
        peerUp(process, endpoint, null);
    }

    /**
     * The node says {@code process} is up at {@code endpoint} (a reused name is alive again), on
     * {@code from}, the node's connection; {@link AgentMessages#VIA_NODE} means through the node.
     */
    void peerUp(String process, String endpoint, io.procactor.transport.Connection from) {
        if (from != null) {
            nodeConnection = from;
        }
        Peer peer = peers.computeIfAbsent(process, p -> new Peer());
        Association waiting = null;
        synchronized (peer) {
            peer.endpoint = endpoint;
            peer.exited = null;
            if (peer.resolving) {
                peer.resolving = false;
                waiting = peer.association;
            }
        }
        if (waiting != null) {
            connect(process, endpoint, waiting);
        }
    }

    /**
     * An incarnation of {@code process} exited: forget where it listened and close its association
     * (its waiting messages fail), except one still waiting for the address of the next
     * incarnation when it is {@code restarting}; then fail the asks whose messages went to the one
     * that exited (when {@code restarting}, only those sent on the association closed here: the rest
     * wait for the next incarnation), and tell watchers.
     */
    void processDown(String process, ExitStatus status, boolean restarting) {
        Peer peer = peers.computeIfAbsent(process, p -> new Peer());
        Association closing = null;
        synchronized (peer) {
            if (!restarting) {
                peer.exited = status;
            }
            peer.endpoint = null;
            if (peer.association != null && !(restarting && peer.resolving)) {
                closing = peer.association;
                peer.association = null;
                peer.resolving = false;
            }
        }
        if (closing != null) {
            closing.close(); // before the asks are failed: one that took it after the scan is refused, and fails
        }
        if (restarting) {
            core.incarnationDown(process, status, closing);
        } else {
            core.processDown(process, status);
        }
    }

    private void connect(String process, String endpoint, Association association) {
        if (AgentMessages.VIA_NODE.equals(endpoint)) {
            // it, or this child, runs on another host: the node relays (InboundRouter), in order
            io.procactor.transport.Connection via = nodeConnection != null ? nodeConnection : node.connection();
            association.attach(via);
            return;
        }
        transport.connect(Endpoint.parse(endpoint), credentials, peerInbound).whenComplete((c, err) -> {
            if (err != null) {
                log.warn("Cannot connect to process [{}] at {}; relaying through the node: {}", process, endpoint, err.toString());
                association.attach(node.connection());
            } else if (!association.attach(c)) {
                c.close(); // the peer went down while this connected: nobody will send on it
            }
        });
    }
}
