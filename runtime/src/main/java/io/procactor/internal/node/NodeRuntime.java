package io.procactor.internal.node;

import io.procactor.internal.core.Association;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.core.Names;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.wire.Protocol;
import io.procactor.internal.core.RefCodec;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.Routes;
import io.procactor.internal.config.Settings;
import com.typesafe.config.Config;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.Server;
import io.procactor.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node: listens for its children, starts them, relays messages between processes that have
 * no direct connection yet, tells every child when a process comes up or goes down, and hosts
 * actors of its own. Thread-safe.
 */
public final class NodeRuntime implements Routes {
    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);

    private final String systemName;
    private final Settings settings;
    private final Credentials credentials = Credentials.random();
    private final Path socketDir;
    private final Transport transport;
    private final Server server;
    private final ProcessCore core;
    private final Map<String, ChildHandle> children = new ConcurrentHashMap<>();
    private final AtomicInteger childSeq = new AtomicInteger();
    private volatile boolean closed;
    private final Thread shutdownHook;
    private final long startedMillis = System.currentTimeMillis();
    /** Status requests to children awaiting their reply, by id (admin endpoint). */
    private final Map<Long, CompletableFuture<Protocol.StatusReply>> statusRequests = new ConcurrentHashMap<>();
    private final AtomicLong statusSeq = new AtomicLong();
    private final AdminEndpoint admin;
    private final ClassDataSharing classDataSharing;
    private final LaunchAdmission launches;

    public NodeRuntime(String systemName, Config config, Map<Class<?>, Integer> apiRegistrations) {
        Names.check(systemName, "system");
        this.systemName = systemName;
        this.settings = Settings.from(config);
        if (settings.logConfigOnStart()) {
            LoggerFactory.getLogger("procactor.config").info("Effective configuration of actor system [{}]:\n{}", systemName,
                    ConfigLoader.render(config, ConfigLoader.ROOT, true).stripTrailing());
        }
        RefCodec refCodec = new RefCodec();
        Registrations registrations = registrations(refCodec, settings, apiRegistrations);
        Transport t = null;
        Path dir = null;
        try {
            dir = Files.createTempDirectory(settings.socketDir(), "procactor-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            io.procactor.transport.TransportSettings ts = settings.transport();
            if (ts.ioThreads() == 0) {
                // the node carries every child's traffic (a pool's results all come to it): one event loop per core
                ts = ts.withIoThreads(Runtime.getRuntime().availableProcessors());
            }
            t = Transport.create(ts, Protocol.NODE, registrations);
            this.core = new ProcessCore(systemName, Protocol.NODE, ProcessHandle.current().pid(), settings, t::registrations);
            refCodec.bind(core);
            core.routes(this);
            this.server = t.bind(endpointFor(dir, Protocol.NODE, t), credentials, this::accepted);
        } catch (IOException | RuntimeException e) {
            if (t != null) {
                t.close();
            }
            deleteQuietly(dir);
            throw e instanceof RuntimeException re ? re
                    : new IllegalStateException("cannot create the socket directory under [" + settings.socketDir() + "]: " + e, e);
        }
        this.transport = t;
        this.socketDir = dir;
        this.launches = new LaunchAdmission(settings.effectiveMaxStarting(), core.executor());
        this.classDataSharing = ClassDataSharing.forClassPath(System.getProperty("java.class.path"), settings.classDataSharing());
        if (settings.shutdownHook()) {
            shutdownHook = new Thread(() -> {
                log.info("JVM shutting down: closing actor system [{}]", systemName);
                close();
            }, "procactor-shutdown-" + systemName);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
        this.admin = settings.adminEnabled() ? AdminEndpoint.open(settings.adminDir(), systemName, this::adminStatus) : null;
        log.debug("Node of system [{}] listening on {} ({})", systemName, server.endpoint(), transport.kind().configName());
    }

    private static Registrations registrations(RefCodec refCodec, Settings settings, Map<Class<?>, Integer> api) {
        Registrations.Builder b = Protocol.register(Registrations.builder(), RefImpl.class, refCodec);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (Map.Entry<String, Integer> e : settings.registrations().entrySet()) {
            String key = ConfigLoader.join("procactor.serialization.registrations", e.getKey());
            String origin = "";
            if (settings.config() != null && settings.config().hasPath(key)) {
                origin = " (set at " + ConfigLoader.where(settings.config().getValue(key).origin()) + ")";
            }
            try {
                b.register(Class.forName(e.getKey(), false, loader), e.getValue());
            } catch (ClassNotFoundException | LinkageError ex) {
                throw new io.procactor.ConfigurationException(key + " must name a class on the class path, was [" + e.getKey()
                        + "]" + origin + "; fix the class name or add its jar", ex);
            } catch (IllegalArgumentException ex) { // an id or class registered twice
                throw new io.procactor.ConfigurationException(key + " must be a registration id no other class has, was ["
                        + e.getValue() + "]" + origin + ": " + ex.getMessage(), ex);
            }
        }
        api.forEach(b::register);
        return b.build();
    }

    private Endpoint endpointFor(Path dir, String fileName, Transport t) {
        return t.kind().isUnixDomain() ? Endpoint.unix(dir.resolve(fileName + ".sock")) : Endpoint.loopback(0);
    }

    public String systemName() {
        return systemName;
    }

    public Settings settings() {
        return settings;
    }

    public ProcessCore core() {
        return core;
    }

    Credentials credentials() {
        return credentials;
    }

    Endpoint endpoint() {
        return server.endpoint();
    }

    public long pid() {
        return core.pid();
    }

    // ---- public operations ----

    public ActorProcess newProcess(Props props, String name) {
        return newProcess(props, name, io.procactor.ProcessOptions.defaults());
    }

    public ActorProcess newProcess(Props props, String name, io.procactor.ProcessOptions options) {
        return newChild(props, name, options);
    }

    public ChildHandle newChild(Props props, String name, io.procactor.ProcessOptions options) {
        ensureOpen();
        Names.check(name, "process");
        if (Protocol.NODE.equals(name)) {
            throw new IllegalArgumentException("process name [" + Protocol.NODE + "] is reserved for the node itself; choose another name");
        }
        ChildHandle handle = new ChildHandle(this, name, props, options,
                () -> endpointFor(socketDir, "c" + childSeq.incrementAndGet(), transport));
        ChildHandle previous = children.putIfAbsent(name, handle);
        if (previous != null) {
            if (previous.exitStatus().isEmpty()) {
                throw new IllegalArgumentException("a process named [" + name + "] already exists in system [" + systemName
                        + "]; process names must be unique while the process lives");
            }
            children.put(name, handle); // the name of an exited process may be reused
        }
        return handle;
    }

    public ActorRef actorOf(Props props, String name) {
        ensureOpen();
        return core.spawn(props, name);
    }

    public List<ActorProcess> processes() {
        return List.copyOf(children.values());
    }

    /** A ref to {@code actor} in {@code process}, for actors created by name inside children. */
    public ActorRef ref(String process, String actor) {
        return core.ref(process, actor);
    }


    ClassDataSharing classDataSharing() {
        return classDataSharing;
    }

    LaunchAdmission launches() {
        return launches;
    }

    public boolean isClosed() {
        return closed;
    }

    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("actor system [" + systemName + "] is closed");
        }
    }

    // ---- children connecting and talking ----

    private Inbound accepted(Connection c) {
        ChildHandle child = children.get(c.peer().name());
        if (child == null || !child.expects(c.peer().pid())) {
            log.warn("Refusing connection from {}: not a child this node is starting", c.peer());
            c.close();
            return new Inbound() {
                @Override
                public void onMessage(Connection connection, Object message) {
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                }
            };
        }
        for (ChildHandle other : children.values()) {
            if (other != child && other.isReady()) { // so the new child talks to them directly from its first message
                c.send(new Protocol.PeerUp(other.name(), other.peerEndpoint()));
            }
        }
        child.connected(c);
        return new Inbound() {
            @Override
            public void onMessage(Connection connection, Object message) {
                fromChild(child, message);
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
                if (cause != null) {
                    log.warn("Control connection of process [{}] failed: {}", child.name(), cause.toString());
                }
            }
        };
    }

    private void fromChild(ChildHandle child, Object message) {
        child.heard();
        if (message instanceof Protocol.HeartbeatAck) {
            return;
        }
        if (message instanceof Protocol.BatchResult r) { // a pool task's result: no envelope, see ProcessCore.sendBatch
            child.batchResult(r);
            return;
        }
        if (message instanceof Protocol.Routed r) {
            if (r.targetProcess().equals(Protocol.NODE)) {
                core.handleSystem(r);
            } else {
                linkTo(r.targetProcess()).ifPresent(l -> l.send(r));
            }
        } else if (message instanceof Protocol.Envelope e) {
            RefImpl target = (RefImpl) e.target();
            if (target.processName().equals(Protocol.NODE)) {
                core.deliverLocal(target, e.sender(), e.body(), child.connection());
            } else {
                Optional<Association> link = linkTo(target.processName());
                if (link.isPresent()) {
                    link.get().send(e); // relay for a child that has no direct connection yet
                } else {
                    core.deadLetter(target, e.sender(), e.body(), exitStatusOf(target.processName())
                            .map(s -> "its process exited: " + s).orElse("no process named [" + target.processName() + "]"));
                }
            }
        } else if (message instanceof Protocol.Resolve r) {
            ChildHandle target = children.get(r.process());
            if (target != null && target.isReady()) {
                child.connection().send(new Protocol.PeerUp(r.process(), target.peerEndpoint()));
            } else if (target == null || target.exitStatus().isPresent()) {
                ExitStatus status = target != null ? target.exitStatus().get() : new ExitStatus(-1, 0,
                        ExitStatus.Reason.STARTUP_FAILED, "no process named [" + r.process() + "] in system [" + systemName + "]",
                        List.of());
                child.connection().send(Protocol.ProcessDown.of(r.process(), status, false));
            }
            // else it is starting or restarting: the PeerUp sent to everyone when it is ready answers
        } else if (message instanceof Protocol.ActorStarted) {
            child.actorStarted();
        } else if (message instanceof Protocol.ChildReady r) {
            child.listening(r.endpoint());
            for (ChildHandle other : children.values()) {
                if (other != child && other.isReady() && other.connection() != null) {
                    other.connection().send(new Protocol.PeerUp(child.name(), r.endpoint()));
                    child.connection().send(new Protocol.PeerUp(other.name(), other.peerEndpoint()));
                }
            }
        } else if (message instanceof Protocol.ActorStopped s) {
            if (s.failure() != null) {
                log.error("Actor [{}] in process [{}] failed to start: {}: {}", s.name(), child.name(),
                        s.failure().className(), s.failure().message());
            }
        } else if (message instanceof Protocol.Exiting x) {
            child.exiting(x);
        } else if (message instanceof Protocol.StatusReply r) {
            CompletableFuture<Protocol.StatusReply> f = statusRequests.remove(r.id());
            if (f != null) {
                f.complete(r);
            }
        } else {
            log.warn("Unexpected message from process [{}]: {}", child.name(), message.getClass().getName());
        }
    }

    /** An incarnation of {@code child} exited; {@code restarting} when another one follows. */
    void processDown(ChildHandle child, ExitStatus status, boolean restarting) {
        core.processDown(child.name(), status);
        Protocol.ProcessDown down = Protocol.ProcessDown.of(child.name(), status, restarting);
        for (ChildHandle other : children.values()) {
            Connection c = other.connection();
            if (other != child && c != null && c.isOpen()) {
                c.send(down);
            }
        }
    }

    // ---- Routes ----

    @Override
    public Optional<Association> linkTo(String process) {
        ChildHandle child = children.get(process);
        return child == null ? Optional.empty() : Optional.ofNullable(child.link());
    }

    @Override
    public Optional<ExitStatus> exitStatusOf(String process) {
        ChildHandle child = children.get(process);
        return child == null ? Optional.empty() : child.exitStatus();
    }

    @Override
    public void actorStarted(String name) {
        // node-local actors: nobody waits for it
    }

    @Override
    public void actorStopped(String name, Protocol.Failure startFailure) {
        // node-local actors: the cell already logged a start failure
    }

    @Override
    public void escalated(RefImpl actor, Throwable cause) {
        // the node's own top-level actors have no process to crash: the actor stays stopped
        log.error("Actor [{}] of the node failed past its supervisor and stays stopped: {}", actor.path(), cause.toString());
    }

    public java.util.Map<String, Long> deadLetters() {
        return core.deadLetterCounts();
    }

    // ---- admin endpoint ----

    /** Where {@code procactor ps} reaches this node; empty when the admin endpoint is off or could not open. */
    public Optional<Path> adminSocket() {
        return admin == null ? Optional.empty() : Optional.of(admin.socket());
    }

    /**
     * The node and its live processes, as the admin endpoint reports them: asks every connected
     * child for its actors and heap and waits up to {@code procactor.admin.status-timeout};
     * a child that does not answer in time is reported as unresponsive.
     */
    Map<String, Object> adminStatus() {
        long now = System.currentTimeMillis();
        List<ChildHandle> live = new ArrayList<>();
        int exited = 0;
        for (ChildHandle c : children.values()) {
            if (c.exitStatus().isPresent()) {
                exited++;
            } else {
                live.add(c);
            }
        }
        live.sort(Comparator.comparing(ChildHandle::name));
        Map<ChildHandle, CompletableFuture<Protocol.StatusReply>> asked = new java.util.HashMap<>();
        List<Long> askedIds = new ArrayList<>();
        for (ChildHandle c : live) {
            Connection conn = c.connection();
            if (c.isReady() && conn != null && conn.isOpen()) {
                long id = statusSeq.incrementAndGet();
                CompletableFuture<Protocol.StatusReply> f = new CompletableFuture<>();
                statusRequests.put(id, f);
                asked.put(c, f);
                askedIds.add(id);
                conn.send(new Protocol.StatusRequest(id));
            }
        }
        long deadline = System.nanoTime() + settings.adminStatusTimeout().toNanos();
        List<Map<String, Object>> processes = new ArrayList<>();
        for (ChildHandle c : live) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put("name", c.name());
            String state = c.stateName();
            if (!state.equals("new")) {
                try {
                    p.put("pid", c.pid());
                } catch (IllegalStateException notStarted) {
                    // raced with start
                }
                p.put("uptime-ms", c.startedMillis() == 0 ? 0 : now - c.startedMillis());
            }
            p.put("restarts", c.restarts());
            CompletableFuture<Protocol.StatusReply> f = asked.get(c);
            Protocol.StatusReply reply = null;
            if (f != null) {
                try {
                    reply = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    state = "unresponsive";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    state = "unresponsive";
                }
            }
            p.put("state", state);
            if (reply != null) {
                p.put("actors", actors(reply.actors(), reply.mailboxDepths()));
                p.put("heap", heap(reply.heapUsed(), reply.heapMax()));
            }
            processes.add(p);
        }
        askedIds.forEach(statusRequests::remove); // late replies of unresponsive children are dropped
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("system", systemName);
        m.put("pid", pid());
        m.put("uptime-ms", now - startedMillis);
        m.put("transport", transport.kind().configName());
        Map<String, Integer> own = core.mailboxDepths();
        m.put("actors", actors(new ArrayList<>(own.keySet()), new ArrayList<>(own.values())));
        Runtime rt = Runtime.getRuntime();
        m.put("heap", heap(rt.totalMemory() - rt.freeMemory(), rt.maxMemory() == Long.MAX_VALUE ? -1 : rt.maxMemory()));
        m.put("processes", processes);
        m.put("exited-processes", exited);
        return m;
    }

    private static List<Map<String, Object>> actors(List<String> names, List<Integer> depths) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, Object> a = new java.util.LinkedHashMap<>();
            a.put("name", names.get(i));
            a.put("mailbox", i < depths.size() ? depths.get(i) : 0);
            l.add(a);
        }
        return l;
    }

    private static Map<String, Object> heap(long used, long max) {
        Map<String, Object> h = new java.util.LinkedHashMap<>();
        h.put("used", used);
        h.put("max", max);
        return h;
    }

    // ---- shutdown ----

    /** Terminates every child (killing those that outlast the grace period) and returns when all have exited. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close();
        }
        core.quietDeadLetters();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: fine
            }
        }
        List<ChildHandle> all = new ArrayList<>(children.values());
        all.forEach(ChildHandle::terminate);
        core.stopAllActors();
        long waitMillis = settings.terminateGracePeriod().toMillis() + 5000;
        for (ChildHandle c : all) {
            if (c.exitStatus().isPresent() || !startedAndNotExited(c)) {
                continue;
            }
            try {
                if (!c.join(Duration.ofMillis(waitMillis))) {
                    log.warn("Process [{}] still running after {} ms; killing it", c.name(), waitMillis);
                    c.kill();
                    c.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.kill();
            }
        }
        awaitNoLocalActors();
        core.shutdown("actor system [" + systemName + "] closed");
        server.close();
        transport.close();
        deleteQuietly(socketDir);
    }

    private static boolean startedAndNotExited(ChildHandle c) {
        try {
            c.pid();
            return true;
        } catch (IllegalStateException notStarted) {
            return false;
        }
    }

    private void awaitNoLocalActors() {
        if (!core.awaitNoActors(Duration.ofSeconds(2))) {
            log.warn("Actors {} of the node did not stop within 2 s", core.actorNames());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("Could not delete {}: {}", dir, e.toString());
        }
    }
}
