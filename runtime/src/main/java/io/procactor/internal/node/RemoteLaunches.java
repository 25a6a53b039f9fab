package io.procactor.internal.node;

import io.procactor.ClusterMember;
import io.procactor.ExitStatus;
import io.procactor.Placement;
import io.procactor.ProcessOptions;
import io.procactor.internal.cluster.ClusterMode;
import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.cluster.Coordinator;
import io.procactor.internal.core.Scheduler;
import io.procactor.internal.wire.AgentMessages;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of remote spawns: places a process on a host agent ({@link Placement}: among
 * the agents that fit and are not lost, the one running the fewest of this node's processes),
 * keeps one control connection per agent incarnation, asks it to start the JVM and returns it as
 * a {@link RemoteProcess}, so that {@link ChildHandle} goes on as for a local child. When the
 * coordinator reports an agent lost, every process there ends at once with
 * {@link ExitStatus#nodeLost}; when an agent's connection closes while the agent stays a member,
 * its processes (which the agent kills) end after a session timeout unless it is reported lost first.
 *
 * <p>Threads: thread-safe. {@link #launch} on the thread that launches an incarnation (it waits for
 * the agent's answer, at most the start timeout); agent messages on the control connections' I/O
 * threads; {@link #memberLost} on the coordinator's event thread.
 */
final class RemoteLaunches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteLaunches.class);

    /** One agent incarnation: its control connection, launches waiting for their pid, processes running there. */
    private final class AgentLink implements Inbound {
        final ClusterMember member;
        final CompletableFuture<Connection> connection = new CompletableFuture<>();
        final Map<Long, CompletableFuture<RemoteProcess>> pending = new ConcurrentHashMap<>();
        final Map<Long, RemoteProcess> running = new ConcurrentHashMap<>();

        AgentLink(ClusterMember member) {
            this.member = member;
        }

        int load() {
            return pending.size() + running.size();
        }

        @Override
        public void onMessage(Connection c, Object message) {
            if (message instanceof AgentMessages.Spawned s) {
                RemoteProcess p = new RemoteProcess(s.launchId(), member, c, s.pid(), reaper);
                running.put(s.launchId(), p);
                CompletableFuture<RemoteProcess> f = pending.remove(s.launchId());
                if (f == null || !f.complete(p)) { // the launch gave up waiting: nobody will run this JVM
                    running.remove(s.launchId());
                    p.destroyForcibly();
                }
            } else if (message instanceof AgentMessages.SpawnFailed f) {
                CompletableFuture<RemoteProcess> w = pending.remove(f.launchId());
                if (w != null) {
                    w.completeExceptionally(new IOException(f.reason()));
                }
            } else if (message instanceof AgentMessages.Output o) {
                RemoteProcess p = running.get(o.launchId());
                if (p != null) {
                    p.output(o.stderr(), o.bytes());
                }
            } else if (message instanceof AgentMessages.Exited x) {
                RemoteProcess p = running.remove(x.launchId());
                if (p != null) {
                    p.exited(x.exitValue());
                }
            } else {
                log.warn("Unexpected message from host agent {}: {}", member, message.getClass().getName());
            }
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            agents.remove(member.incarnation(), this);
            failPending("the control connection to host agent " + member + " closed" + (cause == null ? "" : ": " + cause));
            if (running.isEmpty() || closed) {
                return;
            }
            cutOff.add(this); // memberLost still finds it
            // the agent kills what it ran for us when our connection closes; if it is lost, memberLost says so first
            long wait = settings.sessionTimeout().toMillis() + 2000;
            log.warn("Control connection to host agent {} closed; its {} process(es) of ours end in {} ms unless it is "
                    + "reported lost first", member, running.size(), wait);
            ExitStatus cut = new ExitStatus(-1, 0, ExitStatus.Reason.CRASHED, "the control connection to host agent " + member
                    + " closed, and an agent kills the processes of a node whose connection closed", List.of());
            scheduler.schedule(() -> {
                if (cutOff.remove(this)) {
                    endAll(cut);
                }
            }, wait, TimeUnit.MILLISECONDS);
        }

        void failPending(String why) {
            for (Long id : List.copyOf(pending.keySet())) {
                CompletableFuture<RemoteProcess> f = pending.remove(id);
                if (f != null) {
                    f.completeExceptionally(new IOException(why));
                }
            }
        }

        void endAll(ExitStatus status) {
            for (Long id : List.copyOf(running.keySet())) {
                RemoteProcess p = running.remove(id);
                if (p != null) {
                    p.lost(status);
                }
            }
        }
    }

    private final NodeRuntime node;
    private final ClusterSettings settings;
    private final ClusterEndpoint endpoint;
    private final Supplier<Coordinator> coordinator;
    private final Scheduler scheduler;
    private final ExecutorService reaper = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "procactor-remote-exit");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AgentLink> agents = new ConcurrentHashMap<>();
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    /** Links whose connection closed while processes of ours ran there: they end when the agent is lost, or a while later. */
    private final Set<AgentLink> cutOff = ConcurrentHashMap.newKeySet();
    private final AtomicLong launchIds = new AtomicLong();
    private volatile boolean closed;

    RemoteLaunches(NodeRuntime node, ClusterSettings settings, ClusterEndpoint endpoint, Supplier<Coordinator> coordinator) {
        this.node = node;
        this.settings = settings;
        this.endpoint = endpoint;
        this.coordinator = coordinator;
        this.scheduler = node.core().scheduler();
    }

    /**
     * Starts process {@code name}'s JVM on an agent that fits {@code options.placement()} and waits
     * for its pid; its output pumps run.
     *
     * @throws IOException naming the placement, the members seen and the fix when no agent fits, or
     *                     the agent's reason when it could not start the JVM
     */
    ChildLauncher.Launched launch(String name, ProcessOptions options) throws IOException {
        Placement placement = options.placement();
        AgentLink link = null;
        Connection c = null;
        IOException unreachable = null;
        for (AgentLink candidate : place(placement)) { // the least loaded first; one that cannot be reached is skipped
            try {
                c = connect(candidate);
                link = candidate;
                break;
            } catch (IOException e) {
                log.warn("Placing process [{}] ({}): {}", name, placement, e.getMessage());
                unreachable = e;
            }
        }
        if (c == null) {
            throw unreachable;
        }
        long id = launchIds.incrementAndGet();
        Credentials secret = Credentials.random();
        CompletableFuture<RemoteProcess> spawned = new CompletableFuture<>();
        link.pending.put(id, spawned);
        List<String> jvmOptions = new ArrayList<>(node.settings().jvmOptions());
        jvmOptions.addAll(options.jvmOptions());
        c.send(AgentMessages.SpawnRequest.of(id, coordinator.get().self().toString(), name, node.systemName(), jvmOptions,
                options.environment(), endpoint.endpoint().toString(), secret.toHex(), node.peerCredentials().toHex(),
                node.core().pid(), node.settings().childProperties()));
        RemoteProcess p;
        try {
            p = await(spawned, "host agent " + link.member + " to start process [" + name + "]");
        } finally {
            link.pending.remove(id); // an agent that never answers must not count this launch forever (placement load)
        }
        int tail = node.settings().stderrTailLines();
        OutputPump stdout = new OutputPump(p.getInputStream(), name, p.pid(), false, tail);
        OutputPump stderr = new OutputPump(p.getErrorStream(), name, p.pid(), true, tail);
        stdout.start();
        stderr.start();
        return new ChildLauncher.Launched(p, stdout, stderr, new ClassDataSharing.Launch(List.of(), null), secret);
    }

    /** The agents that fit {@code placement}, least loaded first (then by host name). */
    private List<AgentLink> place(Placement placement) throws IOException {
        List<ClusterMember> members = coordinator.get().members();
        List<AgentLink> fit = new ArrayList<>();
        for (ClusterMember m : members) {
            if (m.isAgent() && !lost.contains(m.incarnation()) && placement.fits(m.host(), m.labels())) {
                fit.add(agents.computeIfAbsent(m.incarnation(), i -> new AgentLink(m)));
            }
        }
        if (fit.isEmpty()) {
            throw new IOException(noAgentFits(placement, members));
        }
        fit.sort(java.util.Comparator.comparingInt(AgentLink::load)); // stable: members come sorted by host
        return fit;
    }

    private String noAgentFits(Placement placement, List<ClusterMember> members) {
        StringBuilder seen = new StringBuilder();
        for (ClusterMember m : members) {
            seen.append(seen.length() == 0 ? "" : ", ").append(m).append(" (").append(m.role())
                    .append(m.labels().isEmpty() ? "" : ", labels " + m.labels()).append(')');
        }
        String flag = switch (placement.kind()) {
            case HOST -> " --host " + placement.hostName();
            case LABEL -> " --label " + placement.labelKey() + "=" + placement.labelValue();
            default -> "";
        };
        return "no host agent fits placement " + placement + ": the cluster's members are [" + seen + "]; start one with "
                + "bin/procactor agent --cluster " + clusterUrl() + flag;
    }

    private String clusterUrl() {
        return settings.mode() == ClusterMode.EMBEDDED
                ? "zookeeper://" + settings.embeddedBind() + ":" + settings.embeddedPort() + settings.path()
                : "zookeeper://" + settings.connectString() + settings.path();
    }

    private Connection connect(AgentLink link) throws IOException {
        if (!link.connection.isDone()) {
            synchronized (link) {
                if (!link.connection.isDone()) {
                    try {
                        Connection c = endpoint.connect(Endpoint.parseAny(link.member.address()), link)
                                .get(node.settings().startTimeout().toMillis(), TimeUnit.MILLISECONDS);
                        link.connection.complete(c);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted connecting to host agent " + link.member, e);
                    } catch (ExecutionException | TimeoutException | IllegalArgumentException e) {
                        agents.remove(link.member.incarnation(), link);
                        Throwable why = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                        throw new IOException("cannot reach host agent " + link.member + " at " + link.member.address() + ": "
                                + why.getMessage() + " (every node and agent of a cluster needs the same "
                                + "procactor.cluster.secret, and with TLS certificates of the same cluster CA)", why);
                    }
                }
            }
        }
        return link.connection.join();
    }

    private RemoteProcess await(CompletableFuture<RemoteProcess> f, String what) throws IOException {
        long timeout = node.settings().startTimeout().toMillis();
        try {
            return f.get(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new IOException("interrupted waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new IOException("no answer from " + what + " within " + timeout + " ms (procactor.process.start-timeout)");
        }
    }

    /** The coordinator reports {@code member} lost: every process of ours there ends now, with NODE_LOST. */
    void memberLost(ClusterMember member) {
        lost.add(member.incarnation());
        ExitStatus status = ExitStatus.nodeLost(member.host(), member.incarnation());
        for (AgentLink l : List.copyOf(cutOff)) {
            if (l.member.incarnation().equals(member.incarnation()) && cutOff.remove(l)) {
                l.endAll(status);
            }
        }
        AgentLink link = agents.remove(member.incarnation());
        if (link == null) {
            return;
        }
        if (!link.running.isEmpty()) {
            log.warn("Host agent {} is lost to the cluster: its {} process(es) of ours are gone", member, link.running.size());
        }
        link.failPending(status.detail());
        link.endAll(status);
        link.connection.thenAccept(Connection::close);
    }

    @Override
    public void close() {
        closed = true;
        agents.values().forEach(l -> l.connection.thenAccept(Connection::close));
        reaper.shutdown();
    }

    /** Which agent member {@code p} runs on, as {@code host@incarnation}; for {@code ActorProcess.host()}. */
    static String hostOf(Process p) {
        return p instanceof RemoteProcess r ? r.member().toString() : "local";
    }
}
