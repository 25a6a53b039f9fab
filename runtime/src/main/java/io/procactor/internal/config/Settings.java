package io.procactor.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.procactor.ConfigurationException;
import io.procactor.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code procactor} configuration, read once and checked. An invalid value fails here with a
 * {@link ConfigurationException} naming its full key path, what is allowed, the value and where
 * it was set: {@code procactor.<path> <what is allowed>, was [<value>] (set at <file>: <line>)}.
 * A key under {@code procactor} that reference.conf does not define fails too, naming the
 * closest known key. Every key is checked first: the exception lists each problem on a line. In a child, {@code config} is null: it got its settings from the node
 * ({@link #childProperties()}). Immutable and thread-safe.
 *
 * @param childClassPath {@code procactor.child.class-path}: the children's class path, empty = found by the node
 */
public record Settings(
        Config config,
        TransportSettings transport,
        Path socketDir,
        List<String> jvmOptions,
        Duration terminateGracePeriod,
        Duration startTimeout,
        int stderrTailLines,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        int dispatcherThreads,
        int throughput,
        Map<String, Integer> registrations,
        int mailboxCapacity,
        OverflowPolicy overflow,
        Duration blockTimeout,
        io.procactor.SupervisorStrategy guardian,
        int deadLetterLogsPerMinute,
        boolean shutdownHook,
        boolean classDataSharing,
        boolean logConfigOnStart,
        boolean adminEnabled,
        Path adminDir,
        Duration adminStatusTimeout,
        int maxStarting,
        List<String> registeredClasses,
        List<Path> childClassPath,
        List<String> registeredPackages,
        int spares,
        boolean sparesAtStart) {

    /**
     * Reads and checks the {@code procactor} settings of {@code config} (which must include
     * reference.conf, as every loaded configuration does).
     *
     * @throws ConfigurationException listing every invalid or unknown key, one per line (see {@link Problems})
     */
    public static Settings from(Config config) {
        try {
            return SettingsReader.read(config);
        } catch (ConfigException e) { // not expected (each read names its key), but never a raw Typesafe message
            throw ConfigLoader.wrap(e);
        }
    }

    /**
     * The settings a child needs, as text: the node passes its effective settings on the child's
     * stdin, so a child never reads configuration files (nor loads a HOCON parser).
     */
    public Map<String, String> childProperties() {
        return ChildSettingsText.write(this);
    }

    /** Rebuilds a child's settings from {@link #childProperties()}. */
    public static Settings fromChildProperties(Map<String, String> p) {
        return ChildSettingsText.read(p);
    }

    /** Where nodes put their admin sockets: {@code procactor.admin.dir}, or {@code <java.io.tmpdir>/procactor-<user>/nodes}. */
    public Path effectiveAdminDir() {
        return adminDir != null ? adminDir : defaultAdminDir();
    }

    /** How many child JVMs may be starting at once: the configured number, or twice the cores (at least 2). */
    public int effectiveMaxStarting() {
        return maxStarting > 0 ? maxStarting : Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** Threads for actors and future callbacks: the configured number, or one per core (at least 2). */
    public int effectiveDispatcherThreads() {
        return dispatcherThreads > 0 ? dispatcherThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** The default directory: {@code <java.io.tmpdir>/procactor-<user>/nodes}. */
    public static Path defaultAdminDir() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "procactor-" + user, "nodes");
    }
}
