package io.procactor.internal.child;

import io.procactor.internal.core.Association;
import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.ProcessIdentity;
import io.procactor.internal.wire.Protocol;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.InboundRouter;
import io.procactor.internal.core.ProcessHost;
import io.procactor.internal.config.Settings;
import io.procactor.Actor;
import io.procactor.ExitStatus;
import io.procactor.ExitStatus.Reason;
import io.procactor.Props;
import io.procactor.transport.Connection;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Server;
import io.procactor.transport.Transport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM's runtime: connects to the node, hosts the actors the node asks for, and exits when
 * its last actor stops, when terminated, or at once when the node is gone. Other processes are
 * reached through {@link PeerLinks}; messages for actors arrive through the core's
 * {@link InboundRouter}, and this class handles the node's control messages.
 *
 * <p>Threads: thread-safe. {@link #run()} on the child's main thread; {@code onMessage} on the I/O
 * thread of the node's connection (status requests are answered there, as the transport answers heartbeat PINGs, never
 * waiting for an actor); the peer inbound on the I/O threads of peer connections; the
 * {@code ProcessHost} callbacks on dispatcher threads; the shutdown hook on its own thread.
 */
final class ChildRuntime implements ProcessHost, Inbound {
    private static final Logger log = LoggerFactory.getLogger(ChildRuntime.class);

    private final ChildBootstrap boot;
    /** The process's name: the bootstrap's, or the one a spare was given ({@link SpareLink}). */
    private final String name;
    private final Settings settings;
    private final Transport transport;
    private final ProcessCore core;
    private final PeerLinks peers;
    private final InboundRouter inbound;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final AtomicBoolean exiting = new AtomicBoolean();
    private volatile Connection node;
    /** To the node, see {@link PeerLinks#node()}. */
    private final Association nodeLink;
    private final RefImpl mainActor;  // carries the process's name
    private final PoolReplyRef poolReply;
    private volatile boolean terminating;
    private volatile boolean hostedAny;

    ChildRuntime(ChildBootstrap boot) {
        this(boot, boot.name(), new ChildWires(boot, boot.name()));
        ProcessIdentity.child(name, boot.parentPid());
    }

    /**
     * The runtime of process {@code name} on {@code wires} built before (a spare's, under its
     * label). The caller states the process's identity ({@link ProcessIdentity}): a spare's
     * rehearsal builds one too, and must not.
     */
    ChildRuntime(ChildBootstrap boot, String name, ChildWires wires) {
        this.boot = boot;
        this.name = name;
        this.settings = wires.settings;
        this.transport = wires.transport;
        this.core = new ProcessCore(boot.system(), name, boot.parentPid(), settings, transport::registrations,
                wires.executors, this, c -> new PeerLinks(c, transport, boot.peerCredentials(), peerInbound));
        wires.refCodec.bind(core);
        this.peers = (PeerLinks) core.directory(); // made by the line above: the core and its directory need each other
        this.nodeLink = peers.node();
        this.inbound = new InboundRouter(core);
        this.mainActor = core.ref(name, name);
        this.poolReply = new PoolReplyRef(nodeLink, boot.system());
    }

    /** Connects, serves until asked to exit, and returns the exit code. */
    int run() throws Exception {
        Server listener = transport.bind(boot.listen(), boot.peerCredentials(), c -> peerInbound);
        Connection c = transport.connect(boot.node(), boot.credentials(), this)
                .get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        connected(c, listener.endpoint());
        return awaitExit();
    }

    /**
     * Connected to the node on {@code c} and listening for peers at {@code listening}: say so. A
     * spare's runtime starts here, on the I/O thread of its connection, when it is adopted.
     */
    void connected(Connection c, Endpoint listening) {
        node = c;
        nodeLink.attach(c);
        nodeLink.send(new Protocol.ChildReady(listening.toString()));
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::onShutdownSignal, "procactor-shutdown"));
        } catch (IllegalStateException shuttingDown) {
            // SIGINT or SIGTERM during the start (Ctrl-C in a terminal reaches every process of its
            // group): the JVM is on its way out, which is no failure to report with a stack trace
        }
    }

    /** The core, for a spare's rehearsal. */
    ProcessCore core() {
        return core;
    }

    /** Whom the peers that connect to this child talk to. */
    Inbound peerInbound() {
        return peerInbound;
    }

    /** Serves until asked to exit, and returns the exit code. */
    int awaitExit() throws Exception {
        int code = exitCode.get();
        node.close();
        try {
            // queued replies and the exit notice must reach the node before this JVM goes
            node.closeFuture().get(Math.max(2000, settings.terminateGracePeriod().toMillis()), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // leaving anyway
        }
        return code;
    }

    /** The node is gone: halt now, without hooks. */
    void parentLost(String why) {
        if (!exiting.get()) {
            System.err.println("procactor child [" + name + "]: node lost (" + why + "); halting");
            Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE);
        }
    }

    private void exit(int code, Reason reason, String detail) {
        // once the JVM exits on its own, its exit code is not ours to announce: the node reads it from the OS
        if (!core.isJvmExiting() && exiting.compareAndSet(false, true)) {
            core.runExitFlushes(); // what this process put into queues goes out before its exit notice
            nodeLink.send(new Protocol.Exiting(code, reason.name(), detail));
            exitCode.complete(code);
        }
    }

    /**
     * SIGTERM or System.exit (in actor code or not): let actors run postStop briefly. Their stops
     * are this process exiting, not normal stops: watchers hear of them from the node, with the
     * real exit status.
     */
    private void onShutdownSignal() {
        if (exiting.get()) {
            return;
        }
        core.jvmExiting();
        core.stopAllActors();
        // an actor whose thread called System.exit never finishes its message: waiting for it would take the full 2 s
        core.awaitNoActors(java.time.Duration.ofSeconds(2), true);
        core.runExitFlushes();
        if (exiting.compareAndSet(false, true)) { // set first: closing our end is not the node going away
            // what postStop sent the node goes out before the JVM halts
            node.close();
            try {
                node.closeFuture().get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                // leaving anyway
            }
        }
    }

    // ---- messages from the node ----

    @Override
    public void onReadComplete(Connection connection) {
        inbound.readComplete();
    }

    @Override
    public void onMessage(Connection connection, Object message) {
        if (inbound.route(message, connection)) {
            return;
        }
        if (message instanceof Protocol.StatusRequest q) {
            connection.send(status(q.id())); // from the I/O thread too: reads counters, never waits for an actor
        } else if (message instanceof Protocol.Batch b) { // a pool task for this worker's actor, see ProcessCore.sendBatch
            core.deliverLocal(mainActor, poolReply, b, connection);
        } else if (message instanceof Protocol.SpawnActor s) {
            spawn(s);
        } else if (message instanceof Protocol.PeerUp p) {
            peers.peerUp(p.process(), p.endpoint(), connection);
        } else if (message instanceof Protocol.ProcessDown d) {
            peers.processDown(d.process(), d.status(), d.restarting()); // and fails the asks that went to it
        } else if (message instanceof Protocol.Terminate t) {
            terminating = true;
            core.quietDeadLetters(); // what dies with the process on request is expected, not news
            log.debug("Terminating: {}", t.reason());
            if (core.actorCount() == 0) {
                exit(0, Reason.TERMINATED, "terminated on request");
            } else {
                core.stopAllActors();
            }
        } else {
            log.warn("Unexpected message from the node: {}", message.getClass().getName());
        }
    }

    private Protocol.StatusReply status(long id) {
        Map<String, Integer> depths = core.mailboxDepths();
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        return new Protocol.StatusReply(id, new java.util.ArrayList<>(depths.keySet()), new java.util.ArrayList<>(depths.values()),
                rt.totalMemory() - rt.freeMemory(), max == Long.MAX_VALUE ? -1 : max);
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        parentLost("control connection closed" + (cause == null ? "" : ": " + cause));
    }

    private void spawn(Protocol.SpawnActor s) {
        hostedAny = true;
        try {
            Class<?> type = Class.forName(s.className(), false, Thread.currentThread().getContextClassLoader());
            if (!Actor.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("[" + s.className() + "] does not extend io.procactor.Actor");
            }
            @SuppressWarnings("unchecked")
            Props props = Props.create((Class<? extends Actor>) type, s.args().toArray());
            core.spawn(props, s.name());
        } catch (Throwable t) {
            log.error("Cannot create actor [{}] of class [{}]", s.name(), s.className(), t);
            Protocol.Failure f = new Protocol.Failure(t.getClass().getName(), t.getMessage(), "", core.ref(name, s.name()).path());
            nodeLink.send(new Protocol.ActorStopped(s.name(), f));
            if (core.actorCount() == 0) {
                exit(ExitStatus.STARTUP_FAILED_CODE, Reason.STARTUP_FAILED, "actor [" + s.name() + "] could not be created: " + t);
            }
        }
    }

    // ---- ProcessHost ----

    @Override
    public void actorStarted(String name) {
        // the only top-level actor here is the one the node spawned: its ready() waits for this
        nodeLink.send(new Protocol.ActorStarted(name));
    }

    @Override
    public void actorStopped(String name, Protocol.Failure startFailure) {
        nodeLink.send(new Protocol.ActorStopped(name, startFailure));
        if (core.actorCount() == 0 && hostedAny) {
            if (startFailure != null) {
                exit(ExitStatus.STARTUP_FAILED_CODE, Reason.STARTUP_FAILED, "actor [" + name + "] failed to start: "
                        + startFailure.className() + (startFailure.message() == null ? "" : ": " + startFailure.message()));
            } else if (terminating) {
                exit(0, Reason.TERMINATED, "terminated on request; postStop of every actor ran");
            } else {
                exit(0, Reason.NORMAL, "all actors stopped");
            }
        }
    }

    @Override
    public void escalated(RefImpl actor, Throwable cause) {
        log.error("Actor [{}] failed past its supervisor: the process exits so its restart policy can act", actor.path(), cause);
        exit(ExitStatus.ESCALATED_CODE, Reason.CRASHED, "actor [" + actor.name() + "] escalated: " + cause);
        core.stopAllActors();
    }

    @Override
    public void taskFailed(RefImpl actor, String detail) {
        exit(ExitStatus.TASK_FAILED_CODE, Reason.CRASHED, detail);
        core.stopAllActors();
    }

    /** Messages from other children arrive on connections they opened to us. */
    private final Inbound peerInbound = new Inbound() {
        @Override
        public void onMessage(Connection connection, Object message) {
            if (!inbound.route(message, connection)) {
                log.warn("Unexpected message from {}: {}", connection.peer(), message.getClass().getName());
            }
        }

        @Override
        public void onReadComplete(Connection connection) {
            inbound.readComplete();
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            // the node reports a peer's exit; nothing to do here
        }
    };
}
