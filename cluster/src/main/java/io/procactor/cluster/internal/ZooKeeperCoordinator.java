package io.procactor.cluster.internal;

import io.procactor.ActorException;
import io.procactor.ClusterMember;
import io.procactor.internal.cluster.ClusterMode;
import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.cluster.Coordinator;
import io.procactor.internal.cluster.CoordinatorEvents;
import io.procactor.internal.cluster.NodeDescription;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership through ZooKeeper, with Curator's client and {@link CuratorCache} (not its
 * service-discovery recipe, which re-registers the old id after a lost session). Each registration
 * is an ephemeral znode {@code <path>/members/<host>@<incarnation>} with a fresh random
 * incarnation, created with the {@link ClusterAcl} of the secret. A member's znode disappears when
 * its session expires: every member's cache sees the delete, and {@link CoordinatorEvents#memberLost}
 * is called once for it. Self: SUSPENDED stops work; LOST calls {@code sessionLost} (the node kills
 * its children); reconnecting after that registers a NEW incarnation.
 *
 * <p>Thread-safe. Curator's threads hand every event to one thread of our own
 * ({@code procactor-cluster-events}), which calls {@link CoordinatorEvents} one at a time, in order,
 * and does the re-registration.
 */
final class ZooKeeperCoordinator implements Coordinator {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperCoordinator.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final long REGISTER_RETRY_MILLIS = 500;

    private final ClusterMode mode;
    private final ClusterSettings settings;
    private final NodeDescription description;
    private final CoordinatorEvents events;
    private final AutoCloseable owned; // the embedded server, closed after the client; or null
    private final String membersPath;
    private final CuratorFramework client;
    private final ScheduledExecutorService eventThread;
    /** Curator's "run safe" tasks (the cache's work): given, because the one Curator makes itself is never shut down. */
    private final java.util.concurrent.ExecutorService curatorSafe;
    private final Map<String, ClusterMember> members = new ConcurrentHashMap<>();
    /** Node names of this node's own incarnations: their deletes are not another member lost. */
    private final Set<String> ownNames = ConcurrentHashMap.newKeySet();
    private volatile CuratorCache cache;

    private volatile ClusterMember self;
    private volatile String selfPath;
    private volatile boolean accepting;
    /** Set on the event thread when the session is lost, cleared when registered again. */
    private boolean lost;
    /** When ZooKeeper last answered us (System.nanoTime); see {@link #watchSessionDeadline}. */
    private volatile long lastHeardNanos = System.nanoTime();
    /** The check that declares the session lost at its deadline, while SUSPENDED; null otherwise (event thread). */
    private java.util.concurrent.ScheduledFuture<?> deadline;
    private volatile boolean closed;
    private volatile boolean crashed;

    ZooKeeperCoordinator(ClusterMode mode, ClusterSettings settings, NodeDescription description, CoordinatorEvents events,
                         AutoCloseable owned) {
        this.mode = mode;
        this.settings = settings;
        this.description = description;
        this.events = events;
        this.owned = owned;
        this.membersPath = ZKPaths.makePath(settings.path(), "members");
        int n = SEQ.incrementAndGet();
        this.eventThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "procactor-cluster-events-" + n);
            t.setDaemon(true);
            return t;
        });
        this.curatorSafe = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "procactor-cluster-safe-" + n);
            t.setDaemon(true);
            return t;
        });
        ClusterAcl acl = new ClusterAcl(settings.secret());
        ZKClientConfig zkConfig = new ZKClientConfig();
        zkConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false"); // digest ACLs; no JAAS lookup and warning
        this.client = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(settings.connectTimeout().toMillis(), settings.sessionTimeout().toMillis()))
                .retryPolicy(new ExponentialBackoffRetry(100, 5, 1000))
                .authorization(List.of(new AuthInfo("digest", acl.authBytes())))
                .aclProvider(acl)
                .zkClientConfig(zkConfig)
                .runSafeService(curatorSafe)
                .threadFactory(r -> {
                    Thread t = new Thread(r, "procactor-cluster-curator-" + n);
                    t.setDaemon(true);
                    return t;
                })
                .build();
    }

    /** Connects, registers, loads the members present; on failure closes everything and throws. */
    ZooKeeperCoordinator start() {
        try {
            client.start();
            if (!client.blockUntilConnected((int) settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ActorException("cannot reach ZooKeeper at [" + settings.connectString() + "] within "
                        + settings.connectTimeout().toMillis() + " ms (procactor.cluster.connect-timeout); check "
                        + "procactor.cluster.url and that the ensemble is up");
            }
            ensureMembersPath();
            register();
            accepting = true;
            startCache();
            client.getConnectionStateListenable().addListener((c, state) -> guarded(() -> onConnectionState(state)), eventThread);
            long every = Math.max(50, negotiatedSessionMillis() / 4);
            eventThread.scheduleWithFixedDelay(() -> guarded(this::probe), every, every, TimeUnit.MILLISECONDS);
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new ActorException("interrupted while joining the cluster at [" + settings.connectString() + "]", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void ensureMembersPath() {
        try {
            client.create().creatingParentsIfNeeded().forPath(membersPath);
        } catch (KeeperException.NodeExistsException fine) {
            // another node made it
        } catch (Exception e) {
            throw failure("create " + membersPath, e);
        }
        try {
            client.getChildren().forPath(membersPath); // READ: a wrong secret fails here at the latest
        } catch (Exception e) {
            throw failure("read " + membersPath, e);
        }
    }

    /** Registers a NEW incarnation (never an old id) as an ephemeral znode of this session. */
    private void register() {
        ClusterMember me = description.as(UUID.randomUUID().toString());
        String name = MemberData.nodeName(me);
        String path = ZKPaths.makePath(membersPath, name);
        ownNames.add(name);
        try {
            client.create().withMode(CreateMode.EPHEMERAL).forPath(path, MemberData.encode(me));
        } catch (Exception e) {
            throw failure("register " + path, e);
        }
        self = me;
        selfPath = path;
        log.info("Joined the cluster at [{}{}] as {}", settings.connectString(), settings.path(), me);
    }

    private void startCache() throws InterruptedException {
        CountDownLatch initialized = new CountDownLatch(1);
        cache = CuratorCache.build(client, membersPath);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(node -> guarded(() -> created(node)))
                .forDeletes(node -> guarded(() -> deleted(node)))
                .forInitialized(initialized::countDown)
                .build(), eventThread);
        cache.start();
        if (!initialized.await(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new ActorException("could not read the members at [" + settings.connectString() + membersPath
                    + "] within " + settings.connectTimeout().toMillis() + " ms (procactor.cluster.connect-timeout)");
        }
    }

    // ---- on the event thread ----

    /** Runs one event's handling; a failure is logged (the executor would swallow it) and the next event goes on. */
    private static void guarded(Runnable handling) {
        try {
            handling.run();
        } catch (RuntimeException e) {
            log.error("Handling a cluster event failed", e);
        }
    }

    private void created(ChildData node) {
        String name = memberName(node.getPath());
        ClusterMember m = name == null ? null : MemberData.decode(name, node.getData());
        if (m == null || members.putIfAbsent(name, m) != null || ownNames.contains(name)) {
            return;
        }
        events.memberJoined(m);
    }

    private void deleted(ChildData node) {
        String name = memberName(node.getPath());
        ClusterMember m = name == null ? null : members.remove(name);
        if (m == null || ownNames.contains(name) || closed) {
            return; // not a member, already reported, or this node's own old incarnation
        }
        events.memberLost(m);
    }

    /** The member's node name, if {@code path} is a direct child of the members path. */
    private String memberName(String path) {
        ZKPaths.PathAndNode pn = ZKPaths.getPathAndNode(path);
        return pn.getPath().equals(membersPath) && !pn.getNode().isEmpty() ? pn.getNode() : null;
    }

    private void onConnectionState(ConnectionState state) {
        if (closed || crashed) {
            return;
        }
        switch (state) {
            case SUSPENDED -> {
                accepting = false;
                events.suspended();
                watchSessionDeadline();
            }
            case LOST -> {
                if (!lost && client.getZookeeperClient().isConnected() && ownNodeAlive()) {
                    // A LOST of the session before this one: the old handle's event thread can post it
                    // after the new handle's RECONNECTED, i.e. after we registered again. Ours is fine.
                    log.debug("Ignoring LOST of an earlier session: this incarnation's znode is alive in the current one");
                    return;
                }
                sessionLost();
            }
            case RECONNECTED -> {
                lastHeardNanos = System.nanoTime(); // the server just answered: the deadline counts from now
                cancelDeadline();
                reconnected();
            }
            default -> {
                // CONNECTED comes once, before we listen; READ_ONLY is not enabled
            }
        }
    }

    /**
     * A cheap read every quarter session while connected: its answer is the last time ZooKeeper
     * heard from us, give or take a round trip (the client's own pings are not visible).
     */
    private void probe() {
        if (closed || crashed || !client.getZookeeperClient().isConnected()) {
            return;
        }
        long sent = System.nanoTime();
        try {
            client.checkExists().inBackground((c, event) -> {
                if (event.getResultCode() == KeeperException.Code.OK.intValue()
                        || event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
                    lastHeardNanos = Math.max(lastHeardNanos, sent);
                }
            }).forPath(membersPath);
        } catch (Exception e) {
            // not connected after all: no answer, no news
        }
    }

    /**
     * SUSPENDED: the server expires our session one session timeout after it last heard from us,
     * and then every other node holds this one lost. Curator would say LOST only a whole session
     * after SUSPENDED, which comes itself two thirds of a session after the silence began: our
     * children would outlive that by seconds. So the session is held lost shortly after the
     * server's earliest expiry (which we know a quarter session early at most, the probe's period):
     * our children are gone soon after the others act on our loss (see {@link #reconnectGrace}), and a node that
     * reconnects in time (an ensemble losing one server) cancels this and goes on.
     */
    private void watchSessionDeadline() {
        cancelDeadline();
        long sessionNanos = TimeUnit.MILLISECONDS.toNanos(negotiatedSessionMillis());
        long wait = Math.max(0, lastHeardNanos + sessionNanos + reconnectGrace(sessionNanos) - System.nanoTime());
        deadline = eventThread.schedule(() -> guarded(() -> {
            deadline = null;
            if (!closed && !crashed && !lost && !client.getZookeeperClient().isConnected()) {
                log.warn("No answer from ZooKeeper at [{}] for {} ms, the session timeout it granted: the others hold "
                        + "this node lost now; stopping its children", settings.connectString(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos));
                sessionLost();
            }
        }), wait, TimeUnit.NANOSECONDS);
    }

    /**
     * How long past the server's earliest expiry a node still waits for its connection: half a
     * session, at most 1 s. The ZooKeeper client waits up to 1 s (at random) before it tries the
     * next server of an ensemble, and {@code lastHeard} may be a quarter session old; without it a
     * node whose server died could hold itself lost while the ensemble kept its session. Children
     * are still gone well within 2 s of the others seeing this node lost.
     */
    private static long reconnectGrace(long sessionNanos) {
        return Math.min(sessionNanos / 2, TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * The session timeout the server granted (it clamps the asked one to 2 to 20 ticks), which is when
     * it expires us; the configured one until the first connection.
     */
    private long negotiatedSessionMillis() {
        try {
            int granted = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            return granted > 0 ? granted : settings.sessionTimeout().toMillis();
        } catch (Exception e) {
            return settings.sessionTimeout().toMillis();
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void sessionLost() {
        accepting = false;
        if (!lost) {
            lost = true;
            events.sessionLost(self);
        }
    }

    private void reconnected() {
        if (!lost && ownNodeAlive()) {
            accepting = true;
            events.resumed();
            return;
        }
        sessionLost(); // the session changed under us, LOST or not: the old incarnation is dead for the others
        retireOwnNode(); // it may still be there if we held the session lost at its deadline and it survived
        registerAgain();
    }

    private void registerAgain() {
        if (closed || crashed || !lost) {
            return;
        }
        try {
            register();
            lost = false;
            accepting = true;
            events.rejoined(self);
        } catch (RuntimeException e) {
            log.warn("Could not register a new incarnation yet ({}); trying again in {} ms", e.getMessage(), REGISTER_RETRY_MILLIS);
            eventThread.schedule(this::registerAgain, REGISTER_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes this incarnation's znode if the session kept it: the others then see it lost too. */
    private void retireOwnNode() {
        String path = selfPath;
        if (path == null || !ownNodeAlive()) {
            return;
        }
        try {
            client.delete().guaranteed().forPath(path);
        } catch (Exception e) {
            log.warn("Could not delete the old incarnation's znode [{}]: {}", path, e.toString());
        }
    }

    /** Whether this node's znode exists and belongs to the current session. */
    private boolean ownNodeAlive() {
        try {
            Stat stat = client.checkExists().forPath(selfPath);
            return stat != null && stat.getEphemeralOwner() == client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return false;
        }
    }

    // ---- Coordinator ----

    @Override
    public ClusterMode mode() {
        return mode;
    }

    @Override
    public ClusterMember self() {
        return self;
    }

    @Override
    public List<ClusterMember> members() {
        return members.values().stream()
                .sorted(Comparator.comparing(ClusterMember::host).thenComparing(ClusterMember::incarnation))
                .toList();
    }

    @Override
    public boolean acceptingWork() {
        return accepting && !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        accepting = false;
        if (cache != null) {
            cache.close();
        }
        client.close(); // closes the session: our znode goes at once, the others see us leave
        eventThread.shutdownNow();
        curatorSafe.shutdownNow();
        try {
            eventThread.awaitTermination(5, TimeUnit.SECONDS);
            curatorSafe.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                log.warn("Closing the embedded ZooKeeper server failed: {}", e.toString());
            }
        }
    }

    /**
     * For tests: from now on this node acts as a crashed host's would: it ignores its connection's
     * news and never registers again. The test then drops the connection without closing the
     * session (so the server expires it one session timeout later) and closes this.
     */
    void markCrashedForTest() {
        crashed = true;
    }

    /** For tests: the embedded server's data directory, if this coordinator runs one. */
    java.nio.file.Path embeddedDataDirForTest() {
        return owned instanceof EmbeddedZooKeeper zk ? zk.dataDir() : null;
    }

    /** For tests: delivers {@code state} as Curator would, on the event thread, and waits until it was handled. */
    void connectionStateForTest(ConnectionState state) throws Exception {
        eventThread.submit(() -> guarded(() -> onConnectionState(state))).get(10, TimeUnit.SECONDS);
    }

    /** For tests: the Curator client. */
    CuratorFramework clientForTest() {
        return client;
    }

    private ActorException failure(String what, Exception e) {
        if (e instanceof KeeperException.NoAuthException) {
            return new ActorException("ZooKeeper at [" + settings.connectString() + "] refused to let this node " + what
                    + ": its znodes belong to a cluster with another secret; procactor.cluster.secret (or secret-file) "
                    + "must be the same on every node of the cluster at " + settings.path(), e);
        }
        return new ActorException("cannot " + what + " in ZooKeeper at [" + settings.connectString() + "]: " + e, e);
    }
}
