package io.procactor.internal.node;

import io.procactor.ExitStatus;
import io.procactor.internal.core.Association;
import io.procactor.internal.core.ProcessDirectory;
import io.procactor.internal.wire.AgentMessages;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's directory of its children: one {@link ChildHandle} per process name (the latest,
 * when a name is reused after its process exited), the route to each, and the peer directory
 * that lets children talk to each other directly: {@code PeerUp} when a child connects or becomes
 * ready, answers to {@code Resolve}, and the {@code ProcessDown} broadcast.
 *
 * <p>Threads: thread-safe. {@link #route} and {@link #exitStatus} on any sender or I/O thread;
 * {@link #add} on the user thread creating a process; {@link #connected}, {@link #ready} and
 * {@link #resolve} on the I/O thread of the asking child's control connection;
 * {@link #processDown} on the thread that saw the exit (reaper or scheduler). Sends happen
 * outside any lock (a connection's send only queues).
 */
final class ChildDirectory implements ProcessDirectory {
    private final String systemName;
    private final Map<String, ChildHandle> children = new ConcurrentHashMap<>();

    ChildDirectory(String systemName) {
        this.systemName = systemName;
    }

    /**
     * Adds {@code handle} under its name; a name may be reused once its process has exited.
     *
     * @throws IllegalArgumentException when a live process has that name
     */
    void add(ChildHandle handle) {
        ChildHandle previous = children.putIfAbsent(handle.name(), handle);
        if (previous != null) {
            if (previous.exitStatus().isEmpty()) {
                throw new IllegalArgumentException("a process named [" + handle.name() + "] already exists in system ["
                        + systemName + "]; process names must be unique while the process lives");
            }
            children.put(handle.name(), handle); // the name of an exited process may be reused
        }
    }

    ChildHandle get(String process) {
        return children.get(process);
    }

    Collection<ChildHandle> all() {
        return children.values();
    }

    @Override
    public Route route(String process) {
        ChildHandle child = children.get(process);
        if (child == null) {
            return Unknown.INSTANCE;
        }
        Association link = child.link(); // null only once the process has exited for good
        if (link != null) {
            return new Linked(link);
        }
        Optional<ExitStatus> status = child.exitStatus();
        return status.isPresent() ? new Gone(status.get()) : Unknown.INSTANCE;
    }

    @Override
    public Optional<ExitStatus> exitStatus(String process) {
        ChildHandle child = children.get(process);
        return child == null ? Optional.empty() : child.exitStatus();
    }

    /** {@code child} connected: tell it where the ready children listen, so it talks to them directly from its first message. */
    void connected(ChildHandle child, Connection c) {
        for (ChildHandle other : children.values()) {
            if (other != child && other.isReady()) {
                c.send(new Protocol.PeerUp(other.name(), endpointFor(other, child)));
            }
        }
    }

    /**
     * Where {@code to} reaches {@code target}: its peer endpoint on the same host, else through the
     * node ({@link AgentMessages#VIA_NODE}), since a Unix socket or loopback port of another host
     * means nothing here. Children of one agent relay through the node too: simple, and one hop more.
     */
    private static String endpointFor(ChildHandle target, ChildHandle to) {
        return target.isRemote() || to.isRemote() ? AgentMessages.VIA_NODE : target.peerEndpoint();
    }

    /**
     * {@code child}, connected on {@code from}, listens for peers at {@code endpoint}: introduce it
     * and every other ready child to each other.
     */
    void ready(ChildHandle child, Connection from, String endpoint) {
        for (ChildHandle other : children.values()) {
            Connection c = other.connection();
            if (other != child && other.isReady() && c != null) {
                c.send(new Protocol.PeerUp(child.name(), child.isRemote() || other.isRemote() ? AgentMessages.VIA_NODE : endpoint));
                from.send(new Protocol.PeerUp(other.name(), endpointFor(other, child)));
            }
        }
    }

    /**
     * {@code child} asks, on {@code from}, where {@code process} listens: PeerUp now, ProcessDown if
     * it is gone, else PeerUp when it is ready. Answered on the connection that asked.
     */
    void resolve(ChildHandle child, Connection from, String process) {
        ChildHandle target = children.get(process);
        if (target != null && target.isReady()) {
            from.send(new Protocol.PeerUp(process, endpointFor(target, child)));
        } else if (target == null || target.exitStatus().isPresent()) {
            ExitStatus status = target != null ? target.exitStatus().get() : new ExitStatus(-1, 0,
                    ExitStatus.Reason.STARTUP_FAILED, "no process named [" + process + "] in system [" + systemName + "]",
                    List.of());
            from.send(Protocol.ProcessDown.of(process, status, false));
        }
        // else it is starting or restarting: the PeerUp sent to everyone when it is ready answers
    }

    /** An incarnation of {@code child} exited: tell every other connected child. */
    void processDown(ChildHandle child, ExitStatus status, boolean restarting) {
        Protocol.ProcessDown down = Protocol.ProcessDown.of(child.name(), status, restarting);
        for (ChildHandle other : children.values()) {
            Connection c = other.connection();
            if (other != child && c != null && c.isOpen()) {
                c.send(down);
            }
        }
    }

    @Override
    public Optional<String> starting(String process) {
        ChildHandle child = children.get(process);
        return child != null && child.isStarting() ? Optional.of(child.startProgress()) : Optional.empty();
    }
}
