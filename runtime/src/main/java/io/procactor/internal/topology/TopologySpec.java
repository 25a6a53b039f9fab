package io.procactor.internal.topology;

import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.ConfigurationException;
import io.procactor.PoolOptions;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A topology as read from {@code procactor.topology}, checked completely before anything starts:
 * every key known, every class loadable and an actor, every {@link Props} creatable (refs stand in
 * as placeholders), every name and reference defined, the startup order free of cycles. Reading
 * and checking is {@link TopologyReader}'s job, the order {@link StartOrder}'s, fitting arguments
 * to a constructor {@link ArgsFitter}'s. Immutable and thread-safe.
 */
public final class TopologySpec {
    public static final String ROOT = "procactor.topology";
    /** In {@code args}, a string {@code "ref:NAME"} is the ref of process or pool NAME (or of the runner: {@code ref:topology}). */
    public static final String REF_PREFIX = "ref:";
    /** The runner's node-local actor, which receives the done message and prints what else it gets. */
    public static final String RUNNER = "topology";

    /** When a topology is done. */
    public enum When {
        /** A process sends the done message (a String) to {@code ref:topology}. */
        MESSAGE("message"),
        /** After a fixed duration. */
        DURATION("duration"),
        /** When every process has exited (pools do not count: they never exit by themselves). */
        EXIT("exit"),
        /** Runs until Ctrl-C (SIGINT or SIGTERM), or until every process has exited. */
        CTRL_C("ctrl-c");

        private final String configName;

        When(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /** A {@code "ref:NAME"} argument, replaced by the ref of NAME when the topology runs. */
    public record RefArg(String name) {
        @Override
        public String toString() {
            return REF_PREFIX + name;
        }
    }

    /** A process or a pool of the topology. */
    public record Entry(String name, boolean pool, String path, Class<? extends Actor> actor, List<Object> args,
                        List<String> after, ProcessOptions processOptions, PoolOptions poolOptions) {
        /** {@code args} with each {@link RefArg} replaced by {@code refs}, converted to the one constructor they fit. */
        public Props props(Function<String, ActorRef> refs) {
            return ArgsFitter.props(actor, args, refs);
        }

        public String kind() {
            return pool ? "pool" : "process";
        }
    }

    /** What the runner sends, to whom, once everything has started. */
    public record Start(String to, Object message) {
    }

    /** When the topology is done. {@code message} is set for {@link When#MESSAGE}, {@code after} for {@link When#DURATION}. */
    public record Done(When when, String message, Duration after) {
    }

    private final String name;
    private final String sample;
    private final Map<String, Entry> entries;
    private final List<String> order;
    private final Start start;
    private final Done done;
    private final List<java.nio.file.Path> classPath;
    private final ClassLoader classLoader;

    TopologySpec(String name, String sample, Map<String, Entry> entries, List<String> order, Start start, Done done,
                 List<java.nio.file.Path> classPath, ClassLoader classLoader) {
        this.name = name;
        this.sample = sample;
        this.entries = Collections.unmodifiableMap(entries);
        this.order = List.copyOf(order);
        this.start = start;
        this.done = done;
        this.classPath = List.copyOf(classPath);
        this.classLoader = classLoader;
    }

    /** {@code procactor.topology.class-path}: absolute, in order; empty if not set. */
    public List<java.nio.file.Path> classPath() {
        return classPath;
    }

    /** The loader of the actor classes: the one given to {@link #parse}, over {@link #classPath()} if set. */
    public ClassLoader classLoader() {
        return classLoader;
    }

    /**
     * Reads {@code procactor.topology} of {@code config} (a loaded, resolved configuration).
     *
     * @throws ConfigurationException listing every problem, one per line: key path, value, origin and fix
     */
    public static TopologySpec parse(com.typesafe.config.Config config, ClassLoader loader) {
        return TopologyReader.parse(config, loader);
    }

    /** The topology's name ({@code procactor.topology.name}), or null. */
    public String name() {
        return name;
    }

    /** The sample a topology of the short form ({@code procactor.topology.sample = NAME}) names, or null. */
    public String sample() {
        return sample;
    }

    /** Processes (by name), then pools (by name). */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** Names of processes and pools in the order they start: each after those in its {@code after} list. */
    public List<String> order() {
        return order;
    }

    public Start start() {
        return start;
    }

    public Done done() {
        return done;
    }

    @Override
    public String toString() {
        return sample != null ? "Topology[sample " + sample + "]" : "Topology" + order;
    }
}
