package io.procactor.internal.child;

import io.procactor.internal.core.AskRef;
import io.procactor.internal.core.Association;
import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.wire.Protocol;
import io.procactor.internal.core.RefCodec;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.Routes;
import io.procactor.internal.config.Settings;
import io.procactor.Actor;
import io.procactor.ExitStatus;
import io.procactor.ExitStatus.Reason;
import io.procactor.Props;
import io.procactor.transport.Connection;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.Server;
import io.procactor.transport.Transport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM's runtime: connects to the node, hosts the actors the node asks for, talks to other
 * children directly once the node has said where they listen (through the node until then), and
 * exits when its last actor stops, when terminated, or at once when the node is gone.
 * Thread-safe.
 */
final class ChildRuntime implements Routes, Inbound {
    private static final Logger log = LoggerFactory.getLogger(ChildRuntime.class);

    private final ChildBootstrap boot;
    private final Settings settings;
    private final Transport transport;
    private final ProcessCore core;
    private final Map<String, String> peerEndpoints = new ConcurrentHashMap<>();
    private final Map<String, Association> links = new ConcurrentHashMap<>();
    /** Links waiting for the node to say where their process listens. */
    private final Map<String, Association> unresolved = new ConcurrentHashMap<>();
    private final Map<String, ExitStatus> down = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final AtomicBoolean exiting = new AtomicBoolean();
    private volatile Connection node;
    /**
     * To the node. It exists before the connection does: the node sends the first actor and its
     * first messages as soon as it accepts us, so an actor may answer before run() has the
     * connection in hand; such answers wait here instead of getting lost.
     */
    private final Association nodeLink;
    private final RefImpl mainActor;  // carries the process's name
    private final PoolReplyRef poolReply;
    private volatile boolean terminating;
    private volatile boolean hostedAny;

    ChildRuntime(ChildBootstrap boot) {
        this.boot = boot;
        this.settings = Settings.fromChildProperties(boot.settings());
        RefCodec refCodec = new RefCodec();
        this.transport = Transport.create(settings.transport(), boot.name(), Protocol.register(Registrations.builder(), RefImpl.class, refCodec, AskRef.class, refCodec.asks).build());
        this.core = new ProcessCore(boot.system(), boot.name(), boot.parentPid(), settings, transport::registrations);
        refCodec.bind(core);
        core.routes(this);
        this.nodeLink = core.newLink(Protocol.NODE);
        this.mainActor = core.ref(boot.name(), boot.name());
        this.poolReply = new PoolReplyRef(nodeLink, boot.system());
    }

    /** Connects, serves until asked to exit, and returns the exit code. */
    int run() throws Exception {
        Server peers = transport.bind(boot.listen(), boot.credentials(), c -> peerInbound);
        node = transport.connect(boot.node(), boot.credentials(), this)
                .get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        nodeLink.attach(node);
        nodeLink.send(new Protocol.ChildReady(peers.endpoint().toString()));
        Runtime.getRuntime().addShutdownHook(new Thread(this::onShutdownSignal, "procactor-shutdown"));
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
            System.err.println("procactor child [" + boot.name() + "]: node lost (" + why + "); halting");
            Runtime.getRuntime().halt(ExitStatus.PARENT_LOST_CODE);
        }
    }

    private void exit(int code, Reason reason, String detail) {
        // once the JVM exits on its own, its exit code is not ours to announce: the node reads it from the OS
        if (!core.isJvmExiting() && exiting.compareAndSet(false, true)) {
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
    public void onMessage(Connection connection, Object message) {
        if (message instanceof Protocol.Heartbeat) {
            connection.send(Protocol.HeartbeatAck.INSTANCE); // from the I/O thread: busy actors do not delay it
        } else if (message instanceof Protocol.StatusRequest q) {
            connection.send(status(q.id())); // from the I/O thread too: reads counters, never waits for an actor
        } else if (message instanceof Protocol.Envelope e) {
            core.deliverLocal((RefImpl) e.target(), e.sender(), e.body(), connection);
        } else if (message instanceof Protocol.Batch b) { // a pool task for this worker's actor, see ProcessCore.sendBatch
            core.deliverLocal(mainActor, poolReply, b, connection);
        } else if (message instanceof Protocol.Routed r) {
            core.handleSystem(r);
        } else if (message instanceof Protocol.SpawnActor s) {
            spawn(s);
        } else if (message instanceof Protocol.PeerUp p) {
            peerEndpoints.put(p.process(), p.endpoint());
            down.remove(p.process());
            Association waiting = unresolved.remove(p.process());
            if (waiting != null) {
                connectPeer(p.process(), p.endpoint(), waiting);
            }
        } else if (message instanceof Protocol.ProcessDown d) {
            ExitStatus status = d.status();
            if (!d.restarting()) {
                down.put(d.process(), status);
            }
            peerEndpoints.remove(d.process());
            Association link = links.get(d.process());
            // a link still waiting for its address keeps waiting for the next incarnation
            if (link != null && !(d.restarting() && unresolved.get(d.process()) == link)) {
                links.remove(d.process(), link);
                unresolved.remove(d.process(), link);
                link.close();
            }
            core.processDown(d.process(), status);
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
            Protocol.Failure f = new Protocol.Failure(t.getClass().getName(), t.getMessage(), "", core.ref(boot.name(), s.name()).path());
            nodeLink.send(new Protocol.ActorStopped(s.name(), f));
            if (core.actorCount() == 0) {
                exit(ExitStatus.STARTUP_FAILED_CODE, Reason.STARTUP_FAILED, "actor [" + s.name() + "] could not be created: " + t);
            }
        }
    }

    // ---- Routes ----

    @Override
    public Optional<Association> linkTo(String process) {
        if (Protocol.NODE.equals(process)) {
            return Optional.of(nodeLink);
        }
        if (down.containsKey(process)) {
            return Optional.empty();
        }
        return Optional.of(links.computeIfAbsent(process, this::newPeerLink));
    }

    /**
     * A link to another child, always direct: when its address is not known yet, messages wait in
     * the link (in order) while the node is asked where it listens.
     */
    private Association newPeerLink(String process) {
        Association link = core.newLink(process);
        String endpoint = peerEndpoints.get(process);
        if (endpoint == null) {
            unresolved.put(process, link);
            nodeLink.send(new Protocol.Resolve(process));
            String raced = peerEndpoints.get(process); // the PeerUp may have come in meanwhile
            if (raced != null && unresolved.remove(process, link)) {
                connectPeer(process, raced, link);
            }
            return link;
        }
        connectPeer(process, endpoint, link);
        return link;
    }

    private void connectPeer(String process, String endpoint, Association link) {
        transport.connect(Endpoint.parse(endpoint), boot.credentials(), peerInbound).whenComplete((c, err) -> {
            if (err != null) {
                log.warn("Cannot connect to process [{}] at {}; relaying through the node: {}", process, endpoint, err.toString());
                link.attach(nodeLink.connection());
            } else {
                link.attach(c);
            }
        });
    }

    @Override
    public Optional<ExitStatus> exitStatusOf(String process) {
        return Optional.ofNullable(down.get(process));
    }

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

    /** Messages from other children arrive on connections they opened to us. */
    private final Inbound peerInbound = new Inbound() {
        @Override
        public void onMessage(Connection connection, Object message) {
            if (message instanceof Protocol.Envelope e) {
                core.deliverLocal((RefImpl) e.target(), e.sender(), e.body(), connection);
            } else if (message instanceof Protocol.Routed r) {
                core.handleSystem(r);
            } else {
                log.warn("Unexpected message from {}: {}", connection.peer(), message.getClass().getName());
            }
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            // the node reports a peer's exit; nothing to do here
        }
    };
}
