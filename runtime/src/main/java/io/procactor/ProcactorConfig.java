package io.procactor;

import com.typesafe.config.Config;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.config.ConfigText;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.shm.SegmentFiles;
import io.procactor.internal.node.JdkFlags;
import io.procactor.internal.node.StaleFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Loading, checking and printing procactor's configuration outside an {@link ActorSystem}: what a
 * launcher or command-line tool needs (the {@code procactor} CLI uses nothing else). Layers,
 * strongest first: {@code -Dprocactor...} system properties, {@code CONFIG_FORCE_} environment
 * variables, {@code key=value} overrides, a topology file, an application file, the class path's
 * {@code application.conf}, then {@code reference.conf}; resolved together.
 *
 * <p>Stateless; every method is thread-safe.
 */
public final class ProcactorConfig {
    private ProcactorConfig() {
    }

    /**
     * The effective configuration.
     *
     * @param overrides       {@code key=value} strings (as given to {@code --set}); may be empty
     * @param topologyFile    a topology file, or null
     * @param applicationFile an {@code application.conf} outside the class path, or null
     * @throws ConfigurationException when a file or override cannot be parsed
     */
    public static Config load(List<String> overrides, Path topologyFile, Path applicationFile) {
        ConfigLoader.Sources s = ConfigLoader.Sources.defaults().withOverrides(overrides);
        if (topologyFile != null) {
            s = s.withTopology(ConfigLoader.parseFile(topologyFile));
        }
        if (applicationFile != null) {
            s = s.withApplicationFile(applicationFile);
        }
        return ConfigLoader.load(s);
    }

    /**
     * Checks every {@code procactor.*} setting of {@code config} as an actor system would at start.
     *
     * @throws ConfigurationException listing every problem, one per line: the key path, the value, where it was set
     *     and what is allowed
     */
    public static void validate(Config config) {
        Settings.from(config);
    }

    /** The {@code procactor} section as HOCON text, secrets masked; with {@code origins}, each value's file and line. */
    public static String render(Config config, boolean origins) {
        return ConfigText.render(config, ConfigLoader.ROOT, origins);
    }

    /** Where running nodes publish their admin sockets ({@code procactor.admin.dir}, or the per-user default). */
    public static Path adminDirectory(Config config) {
        return Settings.from(config).effectiveAdminDir();
    }

    /**
     * The JVM flags procactor adds to every JVM it launches on the running JDK (on JDK 24 and later,
     * those that let Netty use native access and {@code sun.misc.Unsafe} without warnings). Pass
     * them to your own {@code java} command to silence the same warnings in your node.
     */
    public static List<String> jvmFlagsForThisJdk() {
        return JdkFlags.forThisJdk();
    }

    /**
     * Where this user's shared memory lives ({@link SharedLong} and the like): a private directory
     * in {@code /dev/shm}, or under the temp directory where there is no {@code /dev/shm}; each
     * actor system that uses shared memory has a directory in it named {@code <node pid>-<random>}.
     */
    public static Path sharedMemoryDirectory() {
        return SegmentFiles.root();
    }

    /**
     * Removes what nodes of this user left behind when they died without closing (SIGKILL, a
     * crash): their socket directories under {@code procactor.transport.socket-dir}, their admin
     * sockets under {@code procactor.admin.dir}, and their shared memory ({@link SharedLong} and
     * the like, under {@code /dev/shm/procactor-<user>}). Only entries whose node process is gone are
     * touched. A starting node does the same.
     *
     * @return what was removed
     */
    public static List<Path> cleanStaleFiles(Config config) {
        Settings s = Settings.from(config);
        List<Path> removed = new java.util.ArrayList<>(StaleFiles.sweep(s.socketDir(), s.effectiveAdminDir()));
        removed.addAll(StaleFiles.sweepSegments(SegmentFiles.root()));
        return removed;
    }
}
