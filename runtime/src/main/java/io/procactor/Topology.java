package io.procactor;

import com.typesafe.config.Config;
import io.procactor.internal.topology.TopologyRunner;
import io.procactor.internal.topology.TopologySpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The processes and pools of an application, declared in configuration under
 * {@code procactor.topology} (a topology file, see {@code docs/topologies.md}) and run on an
 * {@link ActorSystem}: where its actor classes come from, which actor each child JVM hosts, pool sizes and routing, restart
 * policies, JVM options and environment, startup order, the start message and when the
 * topology is done.
 *
 * <pre>{@code
 * Config config = ConfigFactory.parseFile(new File("config/topologies/pipeline.conf"))
 *         .withFallback(ConfigFactory.load()).resolve();
 * Topology topology = Topology.load(config);          // checks everything; starts nothing
 * try (ActorSystem system = ActorSystem.create("pipeline", config)) {
 *     Topology.Result result = topology.run(system, System.out);
 * }
 * }</pre>
 *
 * <p>{@link #load} checks the whole topology before any JVM starts and fails with a
 * {@link ConfigurationException} naming the key path, the value, where it was set and the fix.
 * Immutable and thread-safe; {@link #run} may be called once per system.
 */
public final class Topology {
    private final TopologySpec spec;

    private Topology(TopologySpec spec) {
        this.spec = spec;
    }

    /**
     * Reads and checks {@code procactor.topology} of {@code config} (a loaded, resolved
     * configuration); classes are loaded with the thread's context class loader.
     *
     * @throws ConfigurationException if anything is missing, unknown or invalid: every problem, one per line
     */
    public static Topology load(Config config) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return new Topology(TopologySpec.parse(Objects.requireNonNull(config, "config"),
                loader != null ? loader : Topology.class.getClassLoader()));
    }

    /** Whether {@code config} has a {@code procactor.topology}. */
    public static boolean isDefined(Config config) {
        return config.hasPathOrNull(TopologySpec.ROOT);
    }

    /** {@code procactor.topology.name}, if set. */
    public Optional<String> name() {
        return Optional.ofNullable(spec.name());
    }

    /**
     * The sample the short form {@code procactor.topology.sample = NAME} names; such a topology
     * has no processes of its own (the {@code procactor} command runs the sample).
     */
    public Optional<String> sample() {
        return Optional.ofNullable(spec.sample());
    }

    /**
     * {@code procactor.topology.class-path}: the jars and directories of the topology's actor
     * classes (absolute; a relative entry is relative to the file that sets it); empty if not set.
     * Children hosting those actors get them on their class path.
     */
    public List<Path> classPath() {
        return spec.classPath();
    }

    /**
     * The class loader of the topology's actor classes: the context class loader of {@link #load},
     * extended by {@link #classPath()} if set. Make it the context class loader while you build the
     * {@link ActorSystem}, so that message classes named in configuration
     * ({@code procactor.serialization.classes}) load from the same jars as the actors.
     */
    public ClassLoader classLoader() {
        return spec.classLoader();
    }

    /** The names of the processes and pools in the order they start. */
    public List<String> startOrder() {
        return spec.order();
    }

    /** Whether {@code name} is a pool (else a process). */
    public boolean isPool(String name) {
        TopologySpec.Entry e = spec.entries().get(name);
        if (e == null) {
            throw new IllegalArgumentException("no process or pool named [" + name + "] in " + spec.order());
        }
        return e.pool();
    }

    /**
     * Starts every process and pool on {@code system} in startup order (each once those in its
     * {@code after} list are ready), sends the start message, waits until the topology is done,
     * then stops what it started, dependents first. Strings sent to {@code ref:topology} other
     * than the done message are printed to {@code out}.
     *
     * @throws ActorException if a process or pool cannot start, or a process fails (exits
     *     abnormally for good) before the topology is done; what was started is stopped first
     * @throws IllegalStateException for a topology of the short form (it names a sample)
     * @throws InterruptedException if the calling thread is interrupted; what was started is stopped first
     */
    public Result run(ActorSystem system, PrintStream out) throws InterruptedException {
        if (spec.sample() != null) {
            throw new IllegalStateException("this topology names the sample [" + spec.sample() + "] and declares no processes; "
                    + "run it with 'procactor run' or run the sample");
        }
        return new TopologyRunner(spec, system, system.node(), out).run();
    }

    /** How a topology run ended. */
    public enum Ending {
        /** A process sent the done message to {@code ref:topology}. */
        MESSAGE,
        /** The configured duration elapsed. */
        DURATION,
        /** Every process exited by itself. */
        EXITED,
        /** The actor system was closed meanwhile (Ctrl-C, SIGTERM). */
        CLOSED
    }

    /**
     * The outcome of {@link #run}: how it ended, how long it ran, and how each process exited.
     * Immutable.
     */
    public record Result(Ending ending, Duration elapsed, Map<String, ExitStatus> exits) {
        public Result {
            exits = Map.copyOf(exits);
        }
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
