package io.procactor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.core.shm.SharedType;
import io.procactor.internal.core.FunctionWorker;
import io.procactor.internal.node.Functions;
import io.procactor.internal.node.NodeRuntime;
import io.procactor.internal.node.PackageClasses;
import io.procactor.internal.pool.ProcessPool;
import io.procactor.transport.Registrations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The node: starts child JVMs that host actors, and hosts actors of its own. Create one in your
 * {@code main}, use it, close it; {@link #close()} returns only when every child has exited.
 * Several systems may live in one JVM; none is static.
 *
 * <pre>{@code
 * try (ActorSystem system = ActorSystem.create("demo")) {
 *     ActorProcess p = system.spawnProcess(Props.create(Doubler.class), "doubler-1");
 *     int four = p.ref().<Integer>ask(2, Duration.ofSeconds(5)).get();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ActorSystem implements AutoCloseable {
    private final NodeRuntime node;

    private ActorSystem(NodeRuntime node) {
        this.node = node;
    }

    /**
     * A system configured from system properties ({@code -Dprocactor...}), environment overrides
     * ({@code CONFIG_FORCE_procactor_...}), {@code application.conf} on the class path and
     * {@code reference.conf}; see reference.conf for every key.
     *
     * @throws ConfigurationException if a setting is invalid or unknown, naming its key path, value and origin
     */
    public static ActorSystem create(String name) {
        return builder(name).build();
    }

    /**
     * A system configured from {@code config} (with {@code reference.conf} as fallback).
     *
     * @throws ConfigurationException if a setting is invalid or unknown, naming its key path, value and origin
     */
    public static ActorSystem create(String name, Config config) {
        return builder(name).config(config).build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The system's name, part of every actor path. */
    public String name() {
        return node.systemName();
    }

    /** The effective configuration this system was created with (application, topology and reference settings merged). */
    public com.typesafe.config.Config config() {
        return node.settings().config();
    }

    /** The node's OS pid. */
    public long pid() {
        return node.pid();
    }

    /** The runtime behind this system, for {@link Topology}. */
    NodeRuntime node() {
        return node;
    }

    /**
     * A child process that will host an actor made from {@code props}, named {@code name} like the
     * process; not started yet (Python's {@code Process(target=...)}). Its {@link ActorProcess#ref()}
     * works at once: messages wait until the process is ready.
     *
     * @throws IllegalArgumentException if the name is invalid or taken by a live process
     */
    public ActorProcess process(Props props, String name) {
        return node.newProcess(Objects.requireNonNull(props, "props"), name);
    }

    /** Like {@link #process(Props, String)}, with JVM options, environment and restart policy. */
    public ActorProcess process(Props props, String name, ProcessOptions options) {
        return node.newProcess(Objects.requireNonNull(props, "props"), name, Objects.requireNonNull(options, "options"));
    }

    /** {@link #process} and {@link ActorProcess#start()} in one call. */
    public ActorProcess spawnProcess(Props props, String name) {
        return process(props, name).start();
    }

    /** {@link #process(Props, String, ProcessOptions)} and {@link ActorProcess#start()} in one call. */
    public ActorProcess spawnProcess(Props props, String name, ProcessOptions options) {
        return process(props, name, options).start();
    }

    /** An actor in the node's own JVM (a collector of results, say). */
    public ActorRef actorOf(Props props, String name) {
        return node.actorOf(Objects.requireNonNull(props, "props"), name);
    }

    /**
     * A pool of worker processes, each hosting an actor made from {@code props}; see {@link Pool}.
     * Workers start at once, in the background.
     */
    public Pool pool(Props props, PoolOptions options) {
        node.ensureOpen();
        return new ProcessPool(node, Objects.requireNonNull(props, "props"), Objects.requireNonNull(options, "options"));
    }

    /** Every process created by this system that was not replaced by a later one of the same name. */
    public List<ActorProcess> processes() {
        return node.processes();
    }

    /**
     * Completes once every warm spare child JVM this system keeps ({@code procactor.child.spares})
     * is started, connected and warm, so that the next process that can use one
     * ({@link ProcessOptions} without JVM options or environment of their own) starts in a few
     * milliseconds instead of a cold JVM's hundreds: for a service that should not take its first
     * requests before. Completes at once when spares are off; starts them when they would start
     * only at the first process ({@code spares-start = first-spawn}). Each call waits for the
     * spares as they are then: a spare taken later is replaced in the background, and a later call
     * waits for its replacement. Fails with {@link IllegalStateException} when the system closes
     * first or starts no more spares (5 died in a row before they were used). Callbacks run on the
     * system's executor, never on an I/O thread.
     *
     * <p>Thread-safe.
     *
     * @throws IllegalStateException if the system is closed
     */
    public java.util.concurrent.CompletableFuture<Void> sparesReady() {
        node.ensureOpen();
        return node.sparesReady();
    }

    /** Dead letters of the node's own process so far, by reason (children log and count their own). */
    public java.util.Map<String, Long> deadLetters() {
        return node.deadLetters();
    }

    /**
     * Terminates every child, kills those that outlast the grace period, and returns when all have
     * exited. A process started on another thread meanwhile is either launched, then terminated and
     * waited for like the others, or never launched: it ends {@link ExitStatus.Reason#TERMINATED}
     * "before its JVM was launched", and its {@link ActorProcess#start()} returns normally.
     */
    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return "ActorSystem[" + name() + ", pid " + pid() + "]";
    }

    // ---- shared memory: Value, Array, Lock ----

    /**
     * A new int in shared memory, set to {@code initial} (Python's {@code Value('i', initial)}); see
     * {@link SharedInt}. It lives until this system closes.
     *
     * @param name 1 to 64 letters, digits, '.', '_' or '-', unique among this system's {@code SharedInt}s
     * @throws IllegalArgumentException when the name is invalid or taken
     */
    public SharedInt sharedInt(String name, int initial) {
        SharedInt v = new SharedInt(node.sharedMemory().create(SharedType.INT, name, 1));
        v.set(initial);
        return v;
    }

    /** A new long in shared memory, set to {@code initial} (Python's {@code Value('q', initial)}); see {@link SharedLong} and {@link #sharedInt}. */
    public SharedLong sharedLong(String name, long initial) {
        SharedLong v = new SharedLong(node.sharedMemory().create(SharedType.LONG, name, 1));
        v.set(initial);
        return v;
    }

    /** A new double in shared memory, set to {@code initial} (Python's {@code Value('d', initial)}); see {@link SharedDouble} and {@link #sharedInt}. */
    public SharedDouble sharedDouble(String name, double initial) {
        SharedDouble v = new SharedDouble(node.sharedMemory().create(SharedType.DOUBLE, name, 1));
        v.set(initial);
        return v;
    }

    /**
     * A new array of {@code length} ints in shared memory, all 0 (Python's {@code Array('i', length)}); see
     * {@link SharedIntArray} and {@link #sharedInt}.
     *
     * @throws IllegalArgumentException when the name is invalid or taken, or the length is negative (0 gives an empty array, as Python's {@code Array('i', 0)})
     */
    public SharedIntArray sharedIntArray(String name, int length) {
        return new SharedIntArray(node.sharedMemory().create(SharedType.INT_ARRAY, name, length));
    }

    /** A new array of {@code length} longs in shared memory, all 0; see {@link SharedLongArray} and {@link #sharedIntArray}. */
    public SharedLongArray sharedLongArray(String name, int length) {
        return new SharedLongArray(node.sharedMemory().create(SharedType.LONG_ARRAY, name, length));
    }

    /** A new array of {@code length} doubles in shared memory, all 0.0; see {@link SharedDoubleArray} and {@link #sharedIntArray}. */
    public SharedDoubleArray sharedDoubleArray(String name, int length) {
        return new SharedDoubleArray(node.sharedMemory().create(SharedType.DOUBLE_ARRAY, name, length));
    }

    /**
     * A new lock every process of this system can take (Python's {@code Lock()}); see {@link SharedLock}.
     *
     * @param name 1 to 64 letters, digits, '.', '_' or '-', unique among this system's locks
     * @throws IllegalArgumentException when the name is invalid or taken
     */
    public SharedLock lock(String name) {
        return new SharedLock(node.sharedMemory().create(SharedType.LOCK, name, 1));
    }

    // ---- functions as tasks and processes ----

    /**
     * A pool of worker processes that run functions (Python's {@code Pool(n)}):
     * {@code pool.map(Main::square, xs, timeout)}, {@code pool.submit(fn, x)}; see {@link Pool} and
     * {@link Task}. Workers start at once, in the background.
     */
    public Pool pool(PoolOptions options) {
        return pool(Props.create(FunctionWorker.class), options);
    }

    /**
     * A child process that will run {@code fn()}; not started yet (Python's
     * {@code Process(target=f)}). {@link FunctionProcess#start()} runs it; {@link FunctionProcess#result()}
     * gives its result. The function must be written in a registered class (see {@link Task}).
     *
     * @throws MessageSerializationException if the function may not be sent (naming the class to register)
     */
    public <R> FunctionProcess<R> process(Task.Fn0<R> fn) {
        return Functions.newProcess(node, fn);
    }

    /** A process that will run {@code fn(a)}; see {@link #process(Task.Fn0)}. */
    public <A, R> FunctionProcess<R> process(Task.Fn<A, R> fn, A a) {
        return Functions.newProcess(node, fn, a);
    }

    /** A process that will run {@code fn(a, b)} (Python's {@code Process(target=f, args=(a, b))}); see {@link #process(Task.Fn0)}. */
    public <A, B, R> FunctionProcess<R> process(Task.Fn2<A, B, R> fn, A a, B b) {
        return Functions.newProcess(node, fn, a, b);
    }

    /** A process that will run {@code fn(a, b, c)}; see {@link #process(Task.Fn0)}. */
    public <A, B, C, R> FunctionProcess<R> process(Task.Fn3<A, B, C, R> fn, A a, B b, C c) {
        return Functions.newProcess(node, fn, a, b, c);
    }

    /** A process that will run the procedure {@code fn()}; its result is null. See {@link #process(Task.Fn0)}. */
    public FunctionProcess<Void> process(Task.Job0 fn) {
        return Functions.newProcess(node, fn);
    }

    /** A process that will run the procedure {@code fn(a)}; see {@link #process(Task.Fn0)}. */
    public <A> FunctionProcess<Void> process(Task.Job<A> fn, A a) {
        return Functions.newProcess(node, fn, a);
    }

    /** A process that will run the procedure {@code fn(a, b)}; see {@link #process(Task.Fn0)}. */
    public <A, B> FunctionProcess<Void> process(Task.Job2<A, B> fn, A a, B b) {
        return Functions.newProcess(node, fn, a, b);
    }

    /** A process that will run the procedure {@code fn(a, b, c)}; see {@link #process(Task.Fn0)}. */
    public <A, B, C> FunctionProcess<Void> process(Task.Job3<A, B, C> fn, A a, B b, C c) {
        return Functions.newProcess(node, fn, a, b, c);
    }

    /** {@link #process(Task.Fn0)} and {@link FunctionProcess#start()} in one call. */
    public <R> FunctionProcess<R> run(Task.Fn0<R> fn) {
        return process(fn).start();
    }

    /** {@link #process(Task.Fn, Object)} and start. */
    public <A, R> FunctionProcess<R> run(Task.Fn<A, R> fn, A a) {
        return process(fn, a).start();
    }

    /** {@link #process(Task.Fn2, Object, Object)} and start. */
    public <A, B, R> FunctionProcess<R> run(Task.Fn2<A, B, R> fn, A a, B b) {
        return process(fn, a, b).start();
    }

    /** {@link #process(Task.Fn3, Object, Object, Object)} and start. */
    public <A, B, C, R> FunctionProcess<R> run(Task.Fn3<A, B, C, R> fn, A a, B b, C c) {
        return process(fn, a, b, c).start();
    }

    /** {@link #process(Task.Job0)} and start. */
    public FunctionProcess<Void> run(Task.Job0 fn) {
        return process(fn).start();
    }

    /** {@link #process(Task.Job, Object)} and start. */
    public <A> FunctionProcess<Void> run(Task.Job<A> fn, A a) {
        return process(fn, a).start();
    }

    /** {@link #process(Task.Job2, Object, Object)} and start. */
    public <A, B> FunctionProcess<Void> run(Task.Job2<A, B> fn, A a, B b) {
        return process(fn, a, b).start();
    }

    /** {@link #process(Task.Job3, Object, Object, Object)} and start. */
    public <A, B, C> FunctionProcess<Void> run(Task.Job3<A, B, C> fn, A a, B b, C c) {
        return process(fn, a, b, c).start();
    }

    // ---- queue, pipe, event, managed map: objects hosted by the node, reachable from every process ----

    /** Tells handles of this system from those of another (two systems may share a name); see {@link ProcessQueue}. */
    private final long handleSystemId = new java.security.SecureRandom().nextLong();
    private final java.util.concurrent.atomic.AtomicInteger pipes = new java.util.concurrent.atomic.AtomicInteger();

    /** {@link #queue(String, int, Class)} without a size limit or an element type (Python's {@code Queue()}). */
    public <T> ProcessQueue<T> queue(String name) {
        return queue(name, Integer.MAX_VALUE, null);
    }

    /** {@link #queue(String, int, Class)} without an element type (Python's {@code Queue(maxsize)}). */
    public <T> ProcessQueue<T> queue(String name, int capacity) {
        return queue(name, capacity, null);
    }

    /**
     * A new queue that holds at most {@code capacity} items of {@code elementType} (null: of any
     * registered type), hosted by the node; pass it to other processes (see {@link ProcessQueue}).
     *
     * @throws IllegalArgumentException if the name is invalid or taken by another queue, or the capacity is below 1
     */
    public <T> ProcessQueue<T> queue(String name, int capacity, Class<T> elementType) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity of queue [" + name + "] must be 1 or more, was [" + capacity + "]");
        }
        var hostRing = new java.util.concurrent.atomic.AtomicReference<io.procactor.internal.channels.QueueRing>();
        ActorRef host = host("queue", name, Props.create(io.procactor.internal.channels.QueueHost.class, name, capacity,
                handleSystemId, hostRing));
        int size = io.procactor.internal.channels.ChannelMemory.queueRingSize(capacity);
        io.procactor.internal.core.shm.MappedSegment ring = ringSegment("queue-" + name,
                io.procactor.internal.channels.QueueRing.segmentBytes(size));
        if (ring == null) { // no shared memory here: every operation goes through the host
            return new ProcessQueue<>(name, capacity, elementType, host, handleSystemId);
        }
        hostRing.set(io.procactor.internal.channels.QueueRing.created(ring, size, capacity, "queue [" + name + "]"));
        return new ProcessQueue<>(name, capacity, elementType, host, handleSystemId, hostRing.get(),
                ring.id().path(), ring.id().token(), size);
    }

    /** A new two-way pipe (Python's {@code Pipe()}); see {@link #pipe(boolean)}. */
    public <T> Pipe<T> pipe() {
        return pipe(true);
    }

    /**
     * A new pipe hosted by the node: two connected ends to pass to processes (see {@link PipeEnd}).
     * When not {@code duplex}, the first end only receives and the second only sends.
     */
    public <T> Pipe<T> pipe(boolean duplex) {
        String name = String.valueOf(pipes.incrementAndGet());
        int size = io.procactor.internal.channels.ChannelMemory.PIPE_RING_SIZE;
        io.procactor.internal.core.shm.MappedSegment ring = ringSegment("pipe-" + name,
                io.procactor.internal.channels.PipeRings.segmentBytes(size));
        io.procactor.internal.channels.PipeRings rings = ring == null ? null
                : io.procactor.internal.channels.PipeRings.created(ring, size, "pipe [" + name + "]");
        String path = ring == null ? null : ring.id().path();
        long token = ring == null ? 0 : ring.id().token();
        ActorRef host = host("pipe", name, Props.create(io.procactor.internal.channels.PipeHost.class, name, duplex,
                handleSystemId, path == null ? "" : path, token, size));
        return new Pipe<>(new PipeEnd<>(name, 0, host, handleSystemId, rings, path, token, size),
                new PipeEnd<>(name, 1, host, handleSystemId, rings, path, token, size));
    }

    /**
     * The shared-memory segment of a queue's or pipe's rings, made by the node (so it is removed with
     * the system and swept after a crash like the other segments), or null when this host has no
     * usable shared memory: then the object works through its host alone.
     */
    private io.procactor.internal.core.shm.MappedSegment ringSegment(String name, int bytes) {
        if (node.clusterEndpoint().isPresent()) {
            // in a cluster a handle may reach a process on another host, which cannot map this host's memory
            org.slf4j.LoggerFactory.getLogger(ActorSystem.class).debug("{} goes through its host: this node is in a cluster", name);
            return null;
        }
        try {
            return node.sharedMemory().create(SharedType.RING, name, bytes).segment();
        } catch (IllegalStateException e) {
            org.slf4j.LoggerFactory.getLogger(ActorSystem.class).debug("No shared memory for {}: {}; it goes through its host",
                    name, e.toString());
            return null;
        }
    }

    /**
     * A new event, cleared, hosted by the node (Python's {@code Event()}); see {@link ProcessEvent}.
     *
     * @throws IllegalArgumentException if the name is invalid or taken by another event
     */
    public ProcessEvent event(String name) {
        ActorRef host = host("event", name, Props.create(io.procactor.internal.channels.EventHost.class, name, handleSystemId));
        return new ProcessEvent(name, host, handleSystemId);
    }

    /**
     * A new empty map hosted by the node (Python's {@code Manager().dict()}); see {@link ProcessMap}.
     *
     * @throws IllegalArgumentException if the name is invalid or taken by another map
     */
    public <K, V> ProcessMap<K, V> map(String name) {
        ActorRef host = host("map", name, Props.create(io.procactor.internal.channels.MapHost.class, name, handleSystemId));
        return new ProcessMap<>(name, host, handleSystemId);
    }

    /** Starts the actor in the node that hosts the {@code kind} named {@code name}. */
    private ActorRef host(String kind, String name, Props props) {
        String actor = kind + "." + name;
        if (!io.procactor.internal.core.Names.isValid(name) || !io.procactor.internal.core.Names.isValid(actor)) {
            throw new IllegalArgumentException(kind + " name [" + name + "] is invalid; use 1 to " + (63 - kind.length())
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        try {
            return node.actorOf(props, actor);
        } catch (ActorCreationException e) {
            throw new IllegalArgumentException((kind.matches("[aeiou].*") ? "an " : "a ") + kind + " named [" + name + "] exists already in system [" + name()
                    + "]; give each " + kind + " its own name, or pass the handle you have to the processes that need it", e);
        }
    }

    // ---- cluster ----

    /**
     * The cluster this node belongs to ({@code procactor.cluster.mode}): in mode {@code local} this
     * node alone; with procactor-cluster, the members registered in ZooKeeper. See docs/cluster.md.
     */
    public Cluster cluster() {
        return new Cluster(node.coordinator());
    }

    /** Builds an {@link ActorSystem}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private Config config;
        private final Map<Class<?>, Integer> registrations = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Configuration to use instead of {@code ConfigFactory.load()}; {@code reference.conf} stays the fallback. */
        public Builder config(Config config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Registers a message class for crossing process boundaries, with an explicit id of
         * {@value Registrations#FIRST_APPLICATION_ID} or more that is the same in every process.
         */
        public Builder register(Class<?> type, int id) {
            if (id < Registrations.FIRST_APPLICATION_ID) {
                throw new IllegalArgumentException("registration id [" + id + "] for [" + type.getName() + "] is reserved; use an id of "
                        + Registrations.FIRST_APPLICATION_ID + " or more");
            }
            Integer previous = registrations.put(Objects.requireNonNull(type, "type"), id);
            if (previous != null && previous != id && previous != NodeRuntime.ANY_ID) {
                throw new IllegalArgumentException("class [" + type.getName() + "] is registered with two ids, [" + previous
                        + "] and [" + id + "]; register it once");
            }
            return this;
        }

        /**
         * Registers message classes for crossing process boundaries by class alone: the node gives
         * each an id and sends its table to every child, so no id needs choosing (use
         * {@link #register(Class, int)} for a wire format fixed across releases).
         */
        public Builder register(Class<?>... types) {
            for (Class<?> type : types) {
                Objects.requireNonNull(type, "type");
                if (type.isSynthetic() || type.isHidden()) {
                    throw new IllegalArgumentException("[" + type.getName() + "] is a lambda or hidden class: it cannot be "
                            + "registered or sent to another process; send a record or a class of your own instead");
                }
                registrations.putIfAbsent(type, NodeRuntime.ANY_ID);
            }
            return this;
        }

        /**
         * Registers every class of each package, as {@link #register(Class...)} does (ids in
         * class-name order), found on this JVM's class path, directories and jars alike.
         * Sub-packages are not included. It also allows the functions written in those classes to
         * run in other processes (see {@link Task}). Config: {@code procactor.serialization.packages}.
         *
         * @throws IllegalArgumentException if a package has no classes on the class path, naming it
         */
        public Builder registerPackage(String... packageNames) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            for (String p : packageNames) {
                register(PackageClasses.of(p, loader != null ? loader : ActorSystem.class.getClassLoader()).toArray(Class<?>[]::new));
            }
            return this;
        }

        /** @throws ConfigurationException if a setting is invalid or unknown, naming its key path, value and origin */
        public ActorSystem build() {
            Config c;
            if (config == null) {
                c = ConfigLoader.load();
            } else {
                try {
                    c = config.withFallback(ConfigFactory.defaultReference()).resolve();
                } catch (com.typesafe.config.ConfigException e) {
                    throw ConfigLoader.wrap(e);
                }
            }
            return new ActorSystem(new NodeRuntime(name, c, registrations));
        }
    }
}
