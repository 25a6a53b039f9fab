package io.procactor.internal.node;

import com.typesafe.config.Config;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.Props;
import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.cluster.Coordinator;
import io.procactor.internal.cluster.Coordinators;
import io.procactor.internal.config.ConfigFiles;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.config.ConfigText;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.AskRef;
import io.procactor.internal.core.Association;
import io.procactor.internal.core.InboundRouter;
import io.procactor.internal.core.Names;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.ProcessHost;
import io.procactor.internal.core.RefCodec;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.core.RuntimeExecutors;
import io.procactor.internal.core.SharedCodec;
import io.procactor.internal.core.shm.SegmentFiles;
import io.procactor.internal.core.shm.SegmentTable;
import io.procactor.internal.wire.LambdaCodec;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
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
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's runtime: bootstraps the system (socket directory, transport and registrations,
 * shutdown hook, admin endpoint), creates child processes and the node's own actors, and closes it
 * all. Its parts: {@link ChildDirectory} (the children, the route to each, the peer directory),
 * {@link NodeInbound} (what children send), {@link AdminStatus} ({@code procactor ps}).
 *
 * <p>Threads: thread-safe. The constructor, {@code newProcess}/{@code actorOf}/{@code ref} and
 * {@link #close()} on user threads ({@code close} also on the shutdown hook); {@link #processDown}
 * on the thread that saw a child's incarnation exit; the {@code ProcessHost} callbacks on the
 * node's dispatcher threads.
 */
public final class NodeRuntime implements ProcessHost {
    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);

    private final String systemName;
    private final Settings settings;
    /** The secret this system's children prove to each other (each also gets its own for the node). */
    private final Credentials peerCredentials = Credentials.random();
    private final Path socketDir;
    private final Transport transport;
    private final Server server;
    private final ProcessCore core;
    private final ChildDirectory children;
    private final AtomicInteger childSeq = new AtomicInteger();
    private volatile boolean closed;
    private final Thread shutdownHook;
    private final AdminStatus status;
    private final AdminEndpoint admin;
    private final ClassDataSharing classDataSharing;
    private final StartupShortcuts startupShortcuts;
    private final ChildClassPath childClassPath;
    private final LaunchAdmission launches;
    private final SharedMemory sharedMemory;
    /** Membership between hosts ({@code procactor.cluster}); mode local: no engine, no thread. */
    private volatile Coordinator coordinator;
    private final NodeInbound childInbound;
    private final SparePool spares;
    /** Outside mode local: the TCP (TLS) endpoint other hosts reach this node at; else null. */
    private final ClusterEndpoint clusterEndpoint;
    /** Spawns on host agents; null in mode local. */
    private final RemoteLaunches remote;
    /** With procactor.cluster.role = agent: starts child JVMs for other nodes; else null. */
    private final AgentService agent;
    private final ClusterSettings clusterSettings;

    public NodeRuntime(String systemName, Config config, Map<Class<?>, Integer> apiRegistrations) {
        Names.check(systemName, "system");
        this.systemName = systemName;
        this.settings = Settings.from(config);
        ClusterSettings cluster = ClusterSettings.from(config);
        this.clusterSettings = cluster;
        this.children = new ChildDirectory(systemName);
        if (settings.logConfigOnStart()) {
            LoggerFactory.getLogger("procactor.config").info("Effective configuration of actor system [{}]:\n{}", systemName,
                    ConfigText.render(config, ConfigLoader.ROOT, true).stripTrailing());
        }
        RefCodec refCodec = new RefCodec();
        this.sharedMemory = new SharedMemory(systemName, new SegmentTable(ProcessHandle.current().pid(), systemName,
                SegmentTable.systemId(peerCredentials.toHex())));
        LambdaCodec lambdas = new LambdaCodec();
        Registrations registrations = registrations(refCodec, sharedMemory.table(), lambdas, settings, apiRegistrations);
        lambdas.bind(() -> registrations);
        Transport t = null;
        Path dir = null;
        try {
            // what nodes that died without closing left behind goes first; our directory names our pid for the next one
            StaleFiles.sweep(settings.socketDir(), settings.effectiveAdminDir());
            StaleFiles.sweepSegments(SegmentFiles.root());
            dir = Files.createTempDirectory(settings.socketDir(), StaleFiles.socketDirPrefix(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            io.procactor.transport.TransportSettings ts = settings.transport();
            if (ts.ioThreads() == 0) {
                // the node carries every child's traffic (a pool's results all come to it): one event loop per core
                ts = ts.withIoThreads(Runtime.getRuntime().availableProcessors());
            }
            t = Transport.create(ts, Protocol.NODE, registrations);
            this.core = new ProcessCore(systemName, Protocol.NODE, ProcessHandle.current().pid(), settings, t::registrations,
                    RuntimeExecutors.system(Protocol.NODE, settings.effectiveDispatcherThreads()), this, c -> children);
            refCodec.bind(core);
            this.status = new AdminStatus(systemName, t.kind().configName(), settings.adminStatusTimeout(), children, core,
                    ConfigFiles.of(config, System.getProperties()));
            NodeInbound nodeInbound = new NodeInbound(children, new InboundRouter(core), status, this::spares);
            this.server = t.bind(endpointFor(dir, Protocol.NODE, t), nodeInbound::admit);
            this.childInbound = nodeInbound;
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
        this.childClassPath = ChildClassPath.create(settings.childClassPath(), new NestedJars(NestedJars.defaultCache()));
        this.classDataSharing = ClassDataSharing.forClassPath(childClassPath.forSystem().value(), settings.classDataSharing());
        this.startupShortcuts = StartupShortcuts.forSystem(childClassPath.forSystem().value());
        JdkFlags.askAboutTrim(); // on a thread of its own: ready before the first child, mostly
        this.spares = new SparePool(this, new ChildLauncher(this, null), settings.spares(),
                () -> endpointFor(socketDir, "r" + childSeq.incrementAndGet(), transport),
                () -> endpointFor(socketDir, "c" + childSeq.incrementAndGet(), transport));
        status.spares(spares::pids);
        if (settings.shutdownHook()) {
            shutdownHook = new Thread(() -> {
                log.info("JVM shutting down: closing actor system [{}]", systemName);
                close();
            }, "procactor-shutdown-" + systemName);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
        this.admin = settings.adminEnabled() ? AdminEndpoint.open(settings.adminDir(), systemName, status::build) : null;
        ClusterEndpoint ce = null;
        RemoteLaunches rl = null;
        AgentService as = null;
        try {
            if (cluster.mode() != io.procactor.internal.cluster.ClusterMode.LOCAL) {
                if (cluster.role() == ClusterSettings.Role.AGENT) {
                    as = new AgentService(systemName, settings, childClassPath.forSystem().value(), startupShortcuts,
                            () -> coordinator != null && coordinator.acceptingWork());
                }
                AgentService agentService = as;
                ce = ClusterEndpoint.open(cluster, settings.transport(), systemName, transport.registrations(),
                        childInbound::admit, agentService == null ? null : agentService::accepted);
                rl = new RemoteLaunches(this, cluster, ce, () -> coordinator);
            }
        } catch (RuntimeException e) {
            if (ce != null) {
                ce.close();
            }
            close();
            throw e;
        }
        this.clusterEndpoint = ce;
        this.remote = rl;
        this.agent = as;
        try {
            String address = ce != null ? ce.endpoint().toString() : server.endpoint().toString();
            this.coordinator = Coordinators.open(cluster, () -> NodeCoordination.describe(cluster, address),
                    new NodeCoordination(systemName, children, rl, as));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.debug("Node of system [{}] listening on {} ({})", systemName, server.endpoint(), transport.kind().configName());
        if (settings.sparesAtStart()) {
            spares.start();
        }
    }

    /** In the map of classes given to the constructor: give this class any free id. */
    public static final int ANY_ID = -1;

    /**
     * The table every process of this system uses (children adopt it in the handshake): the
     * runtime's own types, classes with an explicit id (config, then code), then classes registered
     * by name alone (config {@code procactor.serialization.classes}, code {@code register(Class)}),
     * each given the next free id from {@value Registrations#FIRST_APPLICATION_ID}.
     */
    private static Registrations registrations(RefCodec refCodec, SegmentTable segments, LambdaCodec lambdas, Settings settings,
            Map<Class<?>, Integer> api) {
        Registrations.Builder b = Protocol.registerFunctions(
                Protocol.register(Registrations.builder(), RefImpl.class, refCodec, AskRef.class, refCodec.asks), lambdas);
        Protocol.registerShared(b, SharedCodec.all(segments));
        Protocol.registerAgents(b);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (Map.Entry<String, Integer> e : settings.registrations().entrySet()) {
            String key = ConfigText.join("procactor.serialization.registrations", e.getKey());
            String origin = "";
            if (settings.config() != null && settings.config().hasPath(key)) {
                origin = " (set at " + ConfigText.where(settings.config().getValue(key).origin()) + ")";
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
        java.util.Set<Class<?>> byClassAlone = new java.util.LinkedHashSet<>();
        for (String name : settings.registeredClasses()) {
            try {
                byClassAlone.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException | LinkageError ex) {
                throw new io.procactor.ConfigurationException("procactor.serialization.classes must name classes on the class "
                        + "path, but [" + name + "] is not one; fix the class name or add its jar", ex);
            }
        }
        for (String pkg : settings.registeredPackages()) {
            try {
                byClassAlone.addAll(PackageClasses.of(pkg, loader));
            } catch (IllegalArgumentException ex) {
                throw new io.procactor.ConfigurationException("procactor.serialization.packages must name packages with classes on "
                        + "the class path: " + ex.getMessage(), ex);
            }
        }
        java.util.Set<Integer> taken = new java.util.HashSet<>(settings.registrations().values());
        api.forEach((type, id) -> {
            if (id == ANY_ID) {
                byClassAlone.add(type);
            } else {
                b.register(type, id);
                taken.add(id);
            }
        });
        java.util.Set<Class<?>> explicit = new java.util.HashSet<>(api.keySet());
        explicit.removeIf(t -> api.get(t) == ANY_ID);
        int next = Registrations.FIRST_APPLICATION_ID;
        for (Class<?> type : byClassAlone) {
            if (explicit.contains(type) || settings.registrations().containsKey(type.getName())) {
                continue; // an explicit id wins
            }
            while (taken.contains(next)) {
                next++;
            }
            b.register(type, next);
            taken.add(next++);
        }
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

    /** This node's registration table, the one every child adopts. */
    public Registrations registrations() {
        return transport.registrations();
    }

    public ProcessCore core() {
        return core;
    }

    /** This node's coordinator: membership between hosts ({@code procactor.cluster}). */
    public Coordinator coordinator() {
        return coordinator;
    }

    /** Spawns on host agents; null in mode local. */
    RemoteLaunches remote() {
        return remote;
    }

    /** Outside mode local: where other hosts reach this node (its member's address); empty in mode local. */
    public Optional<Endpoint> clusterEndpoint() {
        return Optional.ofNullable(clusterEndpoint).map(ClusterEndpoint::endpoint);
    }

    Credentials peerCredentials() {
        return peerCredentials;
    }

    /** The shared-memory id of this system that children are given; unlike {@link #sharedMemory()}, also while closing. */
    long sharedMemorySystemId() {
        return sharedMemory.table().systemId();
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
        if (!options.placement().isLocal() && remote == null) {
            throw new IllegalArgumentException("process [" + name + "] has placement " + options.placement() + ", but this "
                    + "node runs in procactor.cluster.mode = local (one machine, no agents); set procactor.cluster.mode = "
                    + "embedded or zookeeper://... and start agents with bin/procactor agent --cluster URL, or use "
                    + "Placement.local()");
        }
        ChildHandle handle = new ChildHandle(this, name, props, options,
                () -> endpointFor(socketDir, "c" + childSeq.incrementAndGet(), transport));
        children.add(handle);
        return handle;
    }

    public ActorRef actorOf(Props props, String name) {
        ensureOpen();
        return core.spawn(props, name);
    }

    public List<ActorProcess> processes() {
        return List.copyOf(children.all());
    }

    /** A ref to {@code actor} in {@code process}, for actors created by name inside children. */
    public ActorRef ref(String process, String actor) {
        return core.ref(process, actor);
    }


    /**
     * The system's shared values, arrays and locks.
     *
     * @throws IllegalStateException when the system is closed
     */
    public SharedMemory sharedMemory() {
        ensureOpen();
        return sharedMemory;
    }

    ClassDataSharing classDataSharing() {
        return classDataSharing;
    }

    ChildClassPath childClassPath() {
        return childClassPath;
    }

    StartupShortcuts startupShortcuts() {
        return startupShortcuts;
    }

    LaunchAdmission launches() {
        return launches;
    }

    SparePool spares() {
        return spares;
    }

    /** {@code child}'s JVM, a spare it was given, is connected on {@code c}. */
    void spareConnected(ChildHandle child, Connection c) {
        childInbound.connected(child, c);
    }

    /** See {@code ActorSystem.sparesReady}. */
    public CompletableFuture<Void> sparesReady() {
        return spares.ready();
    }

    /** How many idle spare child JVMs are warm and connected (procactor.child.spares); for tests and measurements. */
    public int warmSpares() {
        return spares.warmCount();
    }

    /**
     * How many control connections children opened under their process's name: one per JVM
     * launched for a process, none for a process started in a spare (it keeps the spare's); for tests.
     */
    public long processConnections() {
        return childInbound.processConnections();
    }

    /** The pids of the idle spare child JVMs; for tests and measurements. */
    public List<Long> sparePids() {
        return spares.pids();
    }

    public boolean isClosed() {
        return closed;
    }

    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("actor system [" + systemName + "] is closed; create processes, pools and "
                    + "shared objects before close(), or in a new system");
        }
    }

    /** {@code child} exited for good. */
    void processDown(ChildHandle child, ExitStatus status) {
        core.processDown(child.name(), status);
        children.processDown(child, status, false);
    }

    /** An incarnation of {@code child} exited and another follows; {@code closed} was the link to the one that exited. */
    void incarnationDown(ChildHandle child, ExitStatus status, Association closed) {
        core.incarnationDown(child.name(), status, closed);
        children.processDown(child, status, true);
    }

    // ---- ProcessHost ----

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

    // ---- shutdown ----

    /** Terminates every child (killing those that outlast the grace period) and returns when all have exited. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (agent != null) {
            agent.close(); // the processes it ran for other nodes: they are dead for them once this agent left
        }
        if (admin != null) {
            admin.close();
        }
        core.quietDeadLetters();
        spares.close();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: fine
            }
        }
        List<ChildHandle> all = new ArrayList<>(children.all());
        all.forEach(ChildHandle::terminate);
        core.stopAllActors();
        for (ChildHandle c : all) {
            if (c.exitStatus().isPresent() || !c.awaitLaunch()) { // a launch on another thread now: its JVM is joined too
                continue;
            }
            long waitMillis = c.terminateAllowanceMillis() + 5000;
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
        spares.awaitDiscarded(); // spares that launches took, then refused: killed, and now gone
        awaitNoLocalActors();
        if (coordinator != null) { // null when opening it failed: close() cleans up the rest
            // leave (the others see this node gone at once, not a session timeout later) only now: an
            // agent holding our processes kills them the moment we leave, before their postStop ran
            coordinator.close();
        }
        if (remote != null) {
            remote.close();
        }
        if (clusterEndpoint != null) {
            clusterEndpoint.close();
        }
        sharedMemory.close(); // after every process that could use it has exited
        core.shutdown("actor system [" + systemName + "] closed");
        all.forEach(ChildHandle::completeExitIfPending); // whatever the stopped executor dropped
        children.all().forEach(ChildHandle::completeExitIfPending);
        server.close();
        transport.close();
        deleteQuietly(socketDir);
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
