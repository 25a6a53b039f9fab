package io.procactor.internal.node;

import io.procactor.ClusterMember;
import io.procactor.ProcessOptions;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.shm.SegmentTable;
import io.procactor.internal.wire.AgentMessages;
import io.procactor.internal.wire.ChildBootstrap;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host agent's side of the agent control protocol ({@code procactor.cluster.role = agent}):
 * starts child JVMs for the nodes that connect to its cluster endpoint, forwards their stdout and
 * stderr, reports their exact exit values, and signals them on request. The JVM is built as a
 * local child's ({@link ChildLauncher#command}) with the agent's own settings, class path and TLS
 * files; its bootstrap names the requesting node's cluster endpoint, so the child connects there
 * and the node admits it by its one-time launch secret. The agent keeps the child's stdin, so the
 * child halts when the agent dies; it kills a node's children when that node's control connection
 * closes or the node is reported lost.
 *
 * <p>Threads: thread-safe. Control messages on the I/O thread of each node's connection (a launch
 * forks there: a few milliseconds); each child has two output threads and an exit callback on the
 * JDK's process reaper; {@link #memberLost} on the coordinator's event thread.
 */
final class AgentService {
    private static final Logger log = LoggerFactory.getLogger(AgentService.class);

    /** One child JVM started for a node. */
    private record Child(long launchId, String requester, String name, Process process, Connection control,
                         ChildBootstrap bootstrap) {
    }

    private final String systemName;
    private final Settings settings;
    private final String classPath;
    private final StartupShortcuts shortcuts;
    private final BooleanSupplier acceptingWork;
    /** Keyed by the node's control connection, then the node's launch id. */
    private final Map<Connection, Map<Long, Child>> children = new ConcurrentHashMap<>();
    private volatile boolean closed;

    AgentService(String systemName, Settings settings, String classPath, StartupShortcuts shortcuts, BooleanSupplier acceptingWork) {
        this.systemName = systemName;
        this.settings = settings;
        this.classPath = classPath;
        this.shortcuts = shortcuts;
        this.acceptingWork = acceptingWork;
    }

    /** A node's control connection, admitted by the cluster endpoint (it proved the cluster secret). */
    Inbound accepted(Connection c) {
        children.put(c, new ConcurrentHashMap<>());
        log.info("Node {} connected to host agent [{}]", c.peer(), systemName);
        return new Inbound() {
            @Override
            public void onMessage(Connection connection, Object message) {
                if (message instanceof AgentMessages.SpawnRequest r) {
                    spawn(connection, r);
                } else if (message instanceof AgentMessages.Admit a) {
                    admit(connection, a.launchId());
                } else if (message instanceof AgentMessages.Signal s) {
                    signal(connection, s);
                } else {
                    log.warn("Unexpected message from node {}: {}", connection.peer(), message.getClass().getName());
                }
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
                Map<Long, Child> mine = children.remove(connection);
                if (mine != null && !mine.isEmpty()) {
                    log.warn("Control connection of node {} closed{}: killing its {} process(es)", connection.peer(),
                            cause == null ? "" : " (" + cause + ")", mine.size());
                    mine.values().forEach(ch -> ch.process().destroyForcibly());
                }
            }
        };
    }

    private void spawn(Connection c, AgentMessages.SpawnRequest r) {
        Map<Long, Child> mine = children.get(c);
        if (closed || mine == null) {
            c.send(new AgentMessages.SpawnFailed(r.launchId(), "host agent [" + systemName + "] is closing"));
            return;
        }
        if (!acceptingWork.getAsBoolean()) {
            c.send(new AgentMessages.SpawnFailed(r.launchId(), "host agent [" + systemName + "] is cut off from the cluster's "
                    + "coordinator and takes no work until it is back"));
            return;
        }
        Process process;
        try {
            ProcessOptions options = ProcessOptions.defaults().jvmOptions(r.jvmOptions().toArray(String[]::new))
                    .environment(r.environment());
            ProcessBuilder pb = new ProcessBuilder(ChildLauncher.command(r.name(), settings, options,
                    new ClassDataSharing.Launch(List.of(), null), shortcuts.jvmOptions(classPath, options, settings.jvmOptions()),
                    classPath));
            pb.environment().putAll(r.environment());
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            c.send(new AgentMessages.SpawnFailed(r.launchId(), "host agent [" + systemName + "] cannot start ["
                    + ChildLauncher.javaExecutable() + "]: " + e.getMessage()));
            return;
        }
        Child child;
        try {
            child = new Child(r.launchId(), r.requester(), r.name(), process, c, bootstrap(r));
        } catch (RuntimeException e) { // a malformed request: its endpoint or tokens
            process.destroyForcibly();
            c.send(new AgentMessages.SpawnFailed(r.launchId(), "host agent [" + systemName + "] got a malformed spawn "
                    + "request: " + e.getMessage()));
            return;
        }
        mine.put(r.launchId(), child);
        c.send(new AgentMessages.Spawned(r.launchId(), process.pid())); // the bootstrap follows the node's Admit
        Thread out = forward(child, process.getInputStream(), false);
        Thread err = forward(child, process.getErrorStream(), true);
        ProcessExits.of(process).thenRun(() -> {
            join(out);
            join(err); // its last output goes out before its exit
            mine.remove(r.launchId());
            if (c.isOpen()) {
                c.send(new AgentMessages.Exited(r.launchId(), process.exitValue()));
            }
        });
        log.debug("Started process [{} {}] for node {}", r.name(), process.pid(), c.peer());
    }

    /** The node expects the child now: write its bootstrap (stdin stays open: the child halts when this agent dies). */
    private void admit(Connection c, long launchId) {
        Map<Long, Child> mine = children.get(c);
        Child child = mine == null ? null : mine.get(launchId);
        if (child == null) {
            return; // exited already
        }
        try {
            Writer stdin = new OutputStreamWriter(child.process().getOutputStream(), StandardCharsets.UTF_8);
            child.bootstrap().writeTo(stdin);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not hand the bootstrap to process [{}] of node {}: {}", child.name(), c.peer(), e.toString());
            child.process().destroyForcibly();
        }
    }

    /** The node's bootstrap with this host's transport: TCP to the node's cluster endpoint, with the agent's own TLS files. */
    private ChildBootstrap bootstrap(AgentMessages.SpawnRequest r) {
        Map<String, String> s = new HashMap<>(r.settings());
        s.keySet().removeIf(k -> k.startsWith("transport.tls."));
        settings.childProperties().forEach((k, v) -> {
            if (k.startsWith("transport.tls.")) {
                s.put(k, v);
            }
        });
        s.put("transport.kind", "tcp");
        Credentials peers = Credentials.fromHex(r.peerToken());
        return new ChildBootstrap(r.name(), r.system(), Endpoint.parseAny(r.node()), Endpoint.loopback(0),
                Credentials.fromHex(r.token()), peers, SegmentTable.systemId(peers.toHex()), r.parentPid(), s, null);
    }

    private Thread forward(Child child, InputStream in, boolean stderr) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    // a chatty child whose node stopped reading must not fill this agent's memory: wait for
                    // room (the child then blocks on its full pipe), and drop output only for a dead link
                    while (n > 0 && child.control().isOpen() && !child.control().awaitWritable(1000)) {
                        // not writable for a second: keep waiting while the link is open
                    }
                    if (n > 0 && child.control().isOpen()) {
                        child.control().send(new AgentMessages.Output(child.launchId(), stderr, Arrays.copyOf(buf, n)));
                    }
                }
            } catch (IOException e) {
                // the child is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "procactor-agent-" + (stderr ? "stderr-" : "stdout-") + child.name());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal(Connection c, AgentMessages.Signal s) {
        Map<Long, Child> mine = children.get(c);
        Child child = mine == null ? null : mine.get(s.launchId());
        if (child != null) {
            if (s.kill()) {
                child.process().destroyForcibly();
            } else {
                child.process().toHandle().destroy(); // SIGTERM; Process.destroy() would close its stdin too (it halts, 65)
            }
        }
    }

    /** {@code member} is lost to the cluster: the processes it asked for are dead for everyone, so kill them. */
    void memberLost(ClusterMember member) {
        String lost = member.toString();
        children.values().forEach(mine -> mine.values().forEach(ch -> {
            if (ch.requester().equals(lost)) {
                log.warn("Node {} is lost to the cluster: killing its process [{} {}]", lost, ch.name(), ch.process().pid());
                ch.process().destroyForcibly();
            }
        }));
    }

    /**
     * This agent's own session is lost: every other node holds it dead, with the processes it ran
     * for them (they saw NODE_LOST and respawn elsewhere), so kill them; it takes new work as its
     * next incarnation.
     */
    void sessionLost() {
        children.values().forEach(mine -> mine.values().forEach(ch -> ch.process().destroyForcibly()));
    }

    /** How many child JVMs this agent runs for other nodes. */
    int running() {
        return children.values().stream().mapToInt(Map::size).sum();
    }

    /** Kills every child: the agent is closing (they would halt anyway when its JVM ends and their stdin closes). */
    void close() {
        closed = true;
        children.values().forEach(mine -> mine.values().forEach(ch -> ch.process().destroyForcibly()));
    }
}
