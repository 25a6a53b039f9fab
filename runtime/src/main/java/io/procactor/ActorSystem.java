package io.procactor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.node.NodeRuntime;
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

    /** Dead letters of the node's own process so far, by reason (children log and count their own). */
    public java.util.Map<String, Long> deadLetters() {
        return node.deadLetters();
    }

    /** Terminates every child, kills those that outlast the grace period, and returns when all have exited. */
    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return "ActorSystem[" + name() + ", pid " + pid() + "]";
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
