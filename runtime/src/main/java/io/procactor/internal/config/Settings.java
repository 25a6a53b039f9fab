package io.procactor.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.procactor.ConfigurationException;
import io.procactor.transport.Registrations;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code procactor} configuration, read once and checked. An invalid value fails here with a
 * {@link ConfigurationException} naming its full key path, what is allowed, the value and where
 * it was set: {@code procactor.<path> <what is allowed>, was [<value>] (set at <file>: <line>)}.
 * A key under {@code procactor} that reference.conf does not define fails too, naming the
 * closest known key. In a child, {@code config} is null: it got its settings from the node
 * ({@link #childProperties()}). Immutable and thread-safe.
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
        int maxStarting) {

    private static final String P = "procactor.";
    /** Subtrees whose keys are the user's own (class names) or checked elsewhere (topologies). */
    private static final Set<String> FREE_FORM = Set.of("procactor.serialization.registrations", "procactor.topology");
    private static final String DURATION = "must be a positive duration (e.g. 10s, 500ms)";
    private static final String BOOLEAN = "must be a boolean (on/off, true/false, yes/no)";

    /**
     * Reads and checks the {@code procactor} settings of {@code config} (which must include
     * reference.conf, as every loaded configuration does).
     *
     * @throws ConfigurationException naming the first invalid or unknown key
     */
    public static Settings from(Config config) {
        try {
            return read(config);
        } catch (ConfigException e) { // not expected (each read names its key), but never a raw Typesafe message
            throw ConfigLoader.wrap(e);
        }
    }

    private static Settings read(Config c) {
        ConfigValue root = raw(c, "procactor");
        if (root == null || root.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigurationException("procactor must be an object holding procactor's settings, was ["
                    + ConfigLoader.show(root) + "]" + origin(root) + "; is reference.conf on the class path?");
        }
        checkKnownKeys((ConfigObject) root, Reference.PROCACTOR, "procactor");
        TransportKind kind = oneOf(c, "transport.kind", TransportKind.values(), TransportKind::configName);
        long frame = bytes(c, "transport.max-frame-size", TransportSettings.MIN_FRAME_SIZE, TransportSettings.MAX_FRAME_SIZE,
                "must be a size between 1 KiB and 64 MiB (e.g. 8 MiB, 65536)");
        Duration handshake = positive(c, "transport.handshake-timeout");
        int ioThreads = atLeast(c, "transport.io-threads", 0);
        String dir = string(c, "transport.socket-dir", "must be a directory path (empty = java.io.tmpdir)");
        Path socketDir = Path.of(dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir);

        Map<String, Integer> regs = new LinkedHashMap<>();
        ConfigValue r = raw(c, P + "serialization.registrations");
        if (r == null || r.valueType() != ConfigValueType.OBJECT) {
            throw invalid(c, "serialization.registrations", "must be an object of class names and ids, e.g. "
                    + "{ \"com.acme.Order\" = 1000 }");
        }
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) r).entrySet()) {
            String key = "serialization.registrations." + ConfigUtil.joinPath(e.getKey());
            Object v = e.getValue().unwrapped();
            if (!(v instanceof Integer n) || n < Registrations.FIRST_APPLICATION_ID) {
                throw invalid(c, key, "must be a registration id (an integer) of " + Registrations.FIRST_APPLICATION_ID
                        + " or more");
            }
            regs.put(e.getKey(), n);
        }
        return new Settings(c,
                new TransportSettings(kind, (int) frame, handshake, ioThreads),
                socketDir,
                jvmOptions(c, "process.jvm-options"),
                positive(c, "process.terminate-grace-period"),
                positive(c, "process.start-timeout"),
                atLeast(c, "process.stderr-tail-lines", 0),
                positive(c, "process.heartbeat-interval"),
                heartbeatTimeout(c),
                atLeast(c, "dispatcher.threads", 0),
                atLeast(c, "dispatcher.throughput", 1),
                Map.copyOf(regs),
                atLeast(c, "mailbox.capacity", 1),
                oneOf(c, "mailbox.overflow", OverflowPolicy.values(), OverflowPolicy::configName),
                positive(c, "mailbox.block-timeout"),
                guardian(c),
                atLeast(c, "dead-letters.log-per-minute", 0),
                bool(c, "shutdown.hook"),
                bool(c, "process.class-data-sharing"),
                bool(c, "log-config-on-start"),
                bool(c, "admin.enabled"),
                adminDir(c),
                positive(c, "admin.status-timeout"),
                atLeast(c, "process.max-starting", 0));
    }

    /**
     * The settings a child needs, as text: the node passes its effective settings on the child's
     * stdin, so a child never reads configuration files (nor loads a HOCON parser).
     */
    public Map<String, String> childProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("transport.kind", transport.kind().configName());
        m.put("transport.max-frame-size", Integer.toString(transport.maxFrameSize()));
        m.put("transport.handshake-timeout-ms", Long.toString(transport.handshakeTimeout().toMillis()));
        m.put("transport.io-threads", Integer.toString(transport.ioThreads()));
        m.put("process.terminate-grace-period-ms", Long.toString(terminateGracePeriod.toMillis()));
        m.put("process.start-timeout-ms", Long.toString(startTimeout.toMillis()));
        m.put("process.stderr-tail-lines", Integer.toString(stderrTailLines));
        m.put("dispatcher.threads", Integer.toString(dispatcherThreads));
        m.put("dispatcher.throughput", Integer.toString(throughput));
        m.put("mailbox.capacity", Integer.toString(mailboxCapacity));
        m.put("mailbox.overflow", overflow.configName());
        m.put("mailbox.block-timeout-ms", Long.toString(blockTimeout.toMillis()));
        m.put("supervision", guardian.toText());
        m.put("dead-letters.log-per-minute", Integer.toString(deadLetterLogsPerMinute));
        return m;
    }

    /** Rebuilds a child's settings from {@link #childProperties()}. */
    public static Settings fromChildProperties(Map<String, String> p) {
        return new Settings(null,
                new TransportSettings(TransportKind.fromConfig(p.get("transport.kind")),
                        Integer.parseInt(p.get("transport.max-frame-size")),
                        Duration.ofMillis(Long.parseLong(p.get("transport.handshake-timeout-ms"))),
                        Integer.parseInt(p.get("transport.io-threads"))),
                Path.of(System.getProperty("java.io.tmpdir")),
                List.of(),
                Duration.ofMillis(Long.parseLong(p.get("process.terminate-grace-period-ms"))),
                Duration.ofMillis(Long.parseLong(p.get("process.start-timeout-ms"))),
                Integer.parseInt(p.get("process.stderr-tail-lines")),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Integer.parseInt(p.get("dispatcher.threads")),
                Integer.parseInt(p.get("dispatcher.throughput")),
                Map.of(),
                Integer.parseInt(p.get("mailbox.capacity")),
                OverflowPolicy.fromConfig(p.get("mailbox.overflow")),
                Duration.ofMillis(Long.parseLong(p.get("mailbox.block-timeout-ms"))),
                io.procactor.SupervisorStrategy.parse(p.get("supervision")),
                Integer.parseInt(p.get("dead-letters.log-per-minute")),
                false,
                false,
                false,
                false,
                null,
                Duration.ofSeconds(1),
                0);
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

    /** The admin endpoint's socket directory, or null for the default under java.io.tmpdir. */
    private static Path adminDir(Config c) {
        String d = string(c, "admin.dir", "must be a directory path (empty = <java.io.tmpdir>/procactor-<user>/nodes)");
        return d.isBlank() ? null : Path.of(d);
    }

    // ---- unknown keys ----

    /** Every key the user set under procactor must exist in reference.conf (outside the free-form subtrees). */
    private static void checkKnownKeys(ConfigObject user, ConfigObject reference, String path) {
        for (String key : new TreeSet<>(user.keySet())) {
            String full = ConfigLoader.join(path, key);
            ConfigValue u = user.get(key);
            ConfigValue ref = reference.get(key);
            if (ConfigLoader.isNotSetting(full) || FREE_FORM.contains(full)) {
                continue;
            }
            if (ref == null) {
                throw unknownKey(u, full);
            }
            boolean refIsObject = ref.valueType() == ConfigValueType.OBJECT;
            boolean userIsObject = u.valueType() == ConfigValueType.OBJECT;
            if (refIsObject && !userIsObject) {
                throw new ConfigurationException(full + " must be an object with the keys "
                        + ((ConfigObject) ref).keySet().stream().sorted().collect(Collectors.joining(", ", "[", "]"))
                        + ", was [" + ConfigLoader.show(u) + "]" + origin(u));
            }
            if (!refIsObject && userIsObject) {
                throw new ConfigurationException(full + " must be a single value like its default ["
                        + ConfigLoader.show(ref) + "], not an object, was [" + ConfigLoader.show(u) + "]" + origin(u));
            }
            if (refIsObject) {
                checkKnownKeys((ConfigObject) u, (ConfigObject) ref, full);
            }
        }
    }

    private static ConfigurationException unknownKey(ConfigValue value, String path) {
        // report the deepest key the user wrote: its origin has the line
        String leaf = path;
        ConfigValue v = value;
        while (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
            String first = new TreeSet<>(((ConfigObject) v).keySet()).first();
            leaf = ConfigLoader.join(leaf, first);
            v = ((ConfigObject) v).get(first);
        }
        List<String> known = knownKeys();
        String guess = ConfigLoader.closest(leaf, known);
        if (guess == null && !leaf.equals(path)) {
            guess = ConfigLoader.closest(path, known);
        }
        return new ConfigurationException(leaf + " is not a procactor setting" + origin(v)
                + (guess != null ? "; did you mean " + guess + "?" : "")
                + " Every setting is listed, with its meaning and default, in reference.conf");
    }

    /**
     * The procactor keys of reference.conf alone: ConfigFactory.defaultReference() merges in the
     * system properties, which would make any -Dprocactor.typo a known key.
     */
    private static final class Reference {
        static final ConfigObject PROCACTOR = ConfigFactory.defaultReferenceUnresolved(Settings.class.getClassLoader())
                .resolve().getObject("procactor");
    }

    /** Every key of reference.conf under procactor, and the free-form subtrees. */
    static List<String> knownKeys() {
        List<String> known = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : Reference.PROCACTOR.toConfig().entrySet()) {
            known.add(P + e.getKey());
        }
        known.addAll(FREE_FORM);
        return known;
    }

    // ---- typed reads, each failing with key, rule, value and origin ----

    private static Duration positive(Config c, String key) {
        Duration d;
        try {
            d = c.getDuration(P + key);
        } catch (ConfigException e) {
            throw invalid(c, key, DURATION, e);
        }
        if (d.isNegative() || d.isZero()) {
            throw invalid(c, key, DURATION);
        }
        return d;
    }

    private static int atLeast(Config c, String key, int min) {
        int v;
        try {
            v = c.getInt(P + key);
        } catch (ConfigException e) {
            throw invalid(c, key, "must be an integer of " + min + " or more", e);
        }
        if (v < min) {
            throw invalid(c, key, "must be an integer of " + min + " or more");
        }
        return v;
    }

    private static long bytes(Config c, String key, long min, long max, String allowed) {
        long v;
        try {
            v = c.getBytes(P + key);
        } catch (ConfigException e) {
            throw invalid(c, key, allowed, e);
        }
        if (v < min || v > max) {
            throw invalid(c, key, allowed);
        }
        return v;
    }

    private static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(P + key);
        } catch (ConfigException e) {
            throw invalid(c, key, BOOLEAN, e);
        }
    }

    private static String string(Config c, String key, String allowed) {
        ConfigValue v = raw(c, P + key);
        if (v == null || v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                || v.valueType() == ConfigValueType.NULL) {
            throw invalid(c, key, allowed);
        }
        return String.valueOf(v.unwrapped());
    }

    private static <E> E oneOf(Config c, String key, E[] values, java.util.function.Function<E, String> name) {
        List<String> names = Arrays.stream(values).map(name).toList();
        String allowed = "must be one of " + String.join(", ", names);
        String v = string(c, key, allowed).trim();
        for (E e : values) {
            if (name.apply(e).equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw invalid(c, key, allowed);
    }

    private static List<String> jvmOptions(Config c, String key) {
        String allowed = "must be a list of JVM options, each starting with '-' (e.g. [\"-Xmx256m\", \"-Dkey=value\"])";
        List<String> options;
        try {
            options = c.getStringList(P + key);
        } catch (ConfigException e) {
            throw invalid(c, key, allowed, e);
        }
        for (String o : options) {
            if (!o.startsWith("-")) {
                throw invalid(c, key, allowed + "; [" + o + "] does not");
            }
        }
        return List.copyOf(options);
    }

    private static io.procactor.SupervisorStrategy guardian(Config c) {
        String strategy = oneOf(c, "supervision.strategy", new String[] {"one-for-one", "all-for-one"}, s -> s);
        String[] directives = Arrays.stream(io.procactor.SupervisorStrategy.Directive.values())
                .map(d -> d.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);
        io.procactor.SupervisorStrategy.Directive directive =
                io.procactor.SupervisorStrategy.directive(oneOf(c, "supervision.directive", directives, s -> s));
        io.procactor.SupervisorStrategy s = strategy.equals("all-for-one")
                ? io.procactor.SupervisorStrategy.allForOne(directive)
                : io.procactor.SupervisorStrategy.oneForOne(directive);
        return s.withIntensity(atLeast(c, "supervision.max-restarts", 0), positive(c, "supervision.within"));
    }

    private static Duration heartbeatTimeout(Config c) {
        Duration interval = positive(c, "process.heartbeat-interval");
        Duration timeout = positive(c, "process.heartbeat-timeout");
        if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
            throw invalid(c, "process.heartbeat-timeout", "must be at least twice procactor.process.heartbeat-interval ["
                    + ConfigLoader.show(raw(c, P + "process.heartbeat-interval")) + "]");
        }
        return timeout;
    }

    // ---- messages ----

    private static ConfigurationException invalid(Config c, String key, String allowed) {
        return invalid(c, key, allowed, null);
    }

    /** {@code procactor.<key> <allowed>, was [<value>] (set at <origin>)}. */
    private static ConfigurationException invalid(Config c, String key, String allowed, ConfigException cause) {
        String path = P + key;
        ConfigValue v = raw(c, path);
        String was = v == null ? "missing; reference.conf defines every key, is it on the class path?"
                : "was [" + ConfigLoader.show(v) + "]" + origin(v);
        return new ConfigurationException(path + " " + allowed + ", " + was, cause);
    }

    private static String origin(ConfigValue v) {
        return v == null ? "" : " (set at " + ConfigLoader.where(v.origin()) + ")";
    }

    /** The value at {@code path}, null values included, without resolving or converting; null if absent. */
    static ConfigValue raw(Config c, String path) {
        ConfigValue v = c.root();
        for (String part : ConfigUtil.splitPath(path)) {
            if (!(v instanceof ConfigObject o)) {
                return null;
            }
            v = o.get(part);
            if (v == null) {
                return null;
            }
        }
        return v;
    }


    /** The default directory: {@code <java.io.tmpdir>/procactor-<user>/nodes}. */
    public static Path defaultAdminDir() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "procactor-" + user, "nodes");
    }
}
