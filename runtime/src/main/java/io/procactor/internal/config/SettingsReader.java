package io.procactor.internal.config;

import static io.procactor.internal.config.ConfigText.origin;
import static io.procactor.internal.config.ConfigText.raw;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.procactor.ConfigurationException;
import io.procactor.SupervisorStrategy;
import io.procactor.transport.DecodeLimits;
import io.procactor.transport.Registrations;
import io.procactor.transport.TlsConfigurationException;
import io.procactor.transport.TlsSettings;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the {@code procactor} section of a HOCON {@link Config} into {@link Settings}, checking
 * every key: an invalid value is a problem naming its full key path, what is allowed, the value and
 * where it was set; a key reference.conf does not define is one naming the closest known key. Every
 * key is checked before any problem is thrown, so one {@link ConfigurationException} lists them all
 * (see {@link Problems}). One instance per read, on one thread.
 */
final class SettingsReader {
    private static final String P = "procactor.";
    /** Subtrees whose keys are the user's own (class names) or checked elsewhere (topologies). */
    private static final Set<String> FREE_FORM = Set.of("procactor.serialization.registrations", "procactor.topology",
            "procactor.cluster.labels");
    private static final String DURATION = "must be a positive duration (e.g. 10s, 500ms)";
    private static final String BOOLEAN = "must be a boolean (on/off, true/false, yes/no)";

    private final Config c;
    private final Problems problems = new Problems();

    private SettingsReader(Config c) {
        this.c = c;
    }

    static Settings read(Config c) {
        return new SettingsReader(c).read();
    }

    private Settings read() {
        ConfigValue root = raw(c, "procactor");
        if (root == null || root.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigurationException("procactor must be an object holding procactor's settings, was ["
                    + ConfigText.show(root) + "]" + origin(root) + "; is reference.conf on the class path?");
        }
        checkKnownKeys((ConfigObject) root, Reference.PROCACTOR, "procactor");
        TransportKind kind = oneOf("transport.kind", TransportKind.values(), TransportKind::configName);
        Long frame = bytes("transport.max-frame-size", TransportSettings.MIN_FRAME_SIZE, TransportSettings.MAX_FRAME_SIZE,
                "must be a size between 1 KiB and 64 MiB (e.g. 8 MiB, 65536)");
        Duration handshake = positive("transport.handshake-timeout");
        Integer ioThreads = atLeast("transport.io-threads", 0);
        Integer maxPending = atLeast("transport.max-pending-handshakes", 1);
        Integer maxElements = atLeast("transport.max-elements", 1);
        Integer maxDepth = atLeast("transport.max-depth", 4);
        String dir = string("transport.socket-dir", "must be a directory path (empty = java.io.tmpdir)");
        TlsSettings tls = tls();
        Map<String, Integer> registrations = registrations();
        List<String> jvmOptions = jvmOptions("process.jvm-options");
        Duration terminateGrace = positive("process.terminate-grace-period");
        Duration startTimeout = positive("process.start-timeout");
        Integer stderrTail = atLeast("process.stderr-tail-lines", 0);
        Duration heartbeatInterval = positive("process.heartbeat-interval");
        Duration heartbeatTimeout = heartbeatTimeout(heartbeatInterval);
        Integer dispatcherThreads = atLeast("dispatcher.threads", 0);
        Integer throughput = atLeast("dispatcher.throughput", 1);
        Integer mailboxCapacity = atLeast("mailbox.capacity", 1);
        OverflowPolicy overflow = oneOf("mailbox.overflow", OverflowPolicy.values(), OverflowPolicy::configName);
        Duration blockTimeout = positive("mailbox.block-timeout");
        String strategy = oneOf("supervision.strategy", new String[] {"one-for-one", "all-for-one"}, s -> s);
        String directive = oneOf("supervision.directive", Arrays.stream(SupervisorStrategy.Directive.values())
                .map(d -> d.name().toLowerCase(Locale.ROOT)).toArray(String[]::new), s -> s);
        Integer maxRestarts = atLeast("supervision.max-restarts", 0);
        Duration within = positive("supervision.within");
        Integer deadLetterLogs = atLeast("dead-letters.log-per-minute", 0);
        Boolean shutdownHook = bool("shutdown.hook");
        Boolean classDataSharing = bool("process.class-data-sharing");
        Boolean logConfigOnStart = bool("log-config-on-start");
        Boolean adminEnabled = bool("admin.enabled");
        String adminDir = string("admin.dir", "must be a directory path (empty = <java.io.tmpdir>/procactor-<user>/nodes)");
        Duration adminStatusTimeout = positive("admin.status-timeout");
        Integer maxStarting = atLeast("process.max-starting", 0);
        List<String> classes = classNames("serialization.classes");
        List<Path> childClassPath = classPath("child.class-path");
        List<String> packages = packageNames("serialization.packages");
        Integer spares = atLeast("child.spares", 0);
        String sparesStart = oneOf("child.spares-start", new String[] {"first-spawn", "system-start"}, s -> s);
        problems.throwIfAny();

        SupervisorStrategy.Directive d = SupervisorStrategy.directive(directive);
        SupervisorStrategy guardian = (strategy.equals("all-for-one") ? SupervisorStrategy.allForOne(d)
                : SupervisorStrategy.oneForOne(d)).withIntensity(maxRestarts, within);
        return new Settings(c,
                new TransportSettings(kind, (int) (long) frame, handshake, ioThreads, maxPending,
                        new DecodeLimits(maxElements, Math.min(maxDepth, 10_000)), tls),
                Path.of(dir.isBlank() ? System.getProperty("java.io.tmpdir") : dir),
                jvmOptions, terminateGrace, startTimeout, stderrTail, heartbeatInterval, heartbeatTimeout,
                dispatcherThreads, throughput, Map.copyOf(registrations), mailboxCapacity, overflow, blockTimeout, guardian,
                deadLetterLogs, shutdownHook, classDataSharing, logConfigOnStart, adminEnabled,
                adminDir.isBlank() ? null : Path.of(adminDir), // null: the default under java.io.tmpdir
                adminStatusTimeout, maxStarting, classes, childClassPath, packages, spares, sparesStart.equals("system-start"));
    }

    private Map<String, Integer> registrations() {
        Map<String, Integer> regs = new LinkedHashMap<>();
        ConfigValue r = raw(c, P + "serialization.registrations");
        if (r == null || r.valueType() != ConfigValueType.OBJECT) {
            problems.add(P + "serialization.registrations", invalid("serialization.registrations",
                    "must be an object of class names and ids, e.g. { \"com.acme.Order\" = 1000 }"));
            return regs;
        }
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) r).entrySet()) {
            String key = "serialization.registrations." + ConfigUtil.joinPath(e.getKey());
            Object v = e.getValue().unwrapped();
            if (!(v instanceof Integer n) || n < Registrations.FIRST_APPLICATION_ID) {
                problems.add(P + key, invalid(key, "must be a registration id (an integer) of "
                        + Registrations.FIRST_APPLICATION_ID + " or more"));
            } else {
                regs.put(e.getKey(), n);
            }
        }
        return regs;
    }

    // ---- tls ----

    /**
     * procactor.transport.tls: off, or files that exist, are readable and fit together (checked
     * now, so a bad file fails at start naming its key, not at the first connection).
     */
    private TlsSettings tls() {
        Boolean enabled = bool("transport.tls.enabled");
        String file = "must be a file path (empty = not set)";
        String certificate = string("transport.tls.certificate", file);
        String privateKey = string("transport.tls.private-key", file);
        String keyStore = string("transport.tls.key-store", file);
        String password = string("transport.tls.key-store-password", "must be a string");
        String trust = string("transport.tls.trust", file);
        List<String> protocols = problems.attempt(P + "transport.tls.protocols", () -> {
            try {
                return c.getStringList(P + "transport.tls.protocols");
            } catch (ConfigException e) {
                throw invalid("transport.tls.protocols", "must be a list of TLS versions (e.g. [\"TLSv1.3\"])", e);
            }
        });
        if (enabled == null || !enabled || certificate == null || privateKey == null || keyStore == null
                || password == null || trust == null || protocols == null) {
            return TlsSettings.DISABLED;
        }
        try {
            TlsSettings tls = new TlsSettings(true, path(certificate), path(privateKey), path(keyStore), password,
                    path(trust), protocols);
            tls.check();
            return tls;
        } catch (TlsConfigurationException e) {
            String key = "transport.tls." + e.setting();
            ConfigValue v = raw(c, P + key);
            problems.add(P + key, new ConfigurationException(P + key + " " + e.problem() + ", was ["
                    + (key.endsWith("password") ? "****" : ConfigText.show(v)) + "]" + origin(v), e));
            return TlsSettings.DISABLED;
        }
    }

    /** Null for an empty value; absolute, since children resolve it in their own working directory. */
    private static Path path(String value) {
        return value.isBlank() ? null : Path.of(value.trim()).toAbsolutePath();
    }

    // ---- unknown keys ----

    /** Every key the user set under procactor must exist in reference.conf (outside the free-form subtrees). */
    private void checkKnownKeys(ConfigObject user, ConfigObject reference, String path) {
        for (String key : new TreeSet<>(user.keySet())) {
            String full = ConfigText.join(path, key);
            ConfigValue u = user.get(key);
            ConfigValue ref = reference.get(key);
            if (FREE_FORM.contains(full)) {
                continue;
            }
            // procactor.child is the launcher's property as a plain value, a section of settings as an object
            if (ConfigLoader.isNotSetting(full) && !(ref != null && ref.valueType() == ConfigValueType.OBJECT
                    && u.valueType() == ConfigValueType.OBJECT)) {
                notASettingFromSet(u, full);
                continue;
            }
            if (ref == null) {
                unknownKeys(u, full, full);
                continue;
            }
            boolean refIsObject = ref.valueType() == ConfigValueType.OBJECT;
            boolean userIsObject = u.valueType() == ConfigValueType.OBJECT;
            if (refIsObject && !userIsObject) {
                problems.add(full, new ConfigurationException(full + " must be an object with the keys "
                        + ((ConfigObject) ref).keySet().stream().sorted().collect(Collectors.joining(", ", "[", "]"))
                        + ", was [" + ConfigText.show(u) + "]" + origin(u)));
            } else if (!refIsObject && userIsObject) {
                problems.add(full, new ConfigurationException(full + " must be a single value like its default ["
                        + ConfigText.show(ref) + "], not an object, was [" + ConfigText.show(u) + "]" + origin(u)));
            } else if (refIsObject) {
                checkKnownKeys((ConfigObject) u, (ConfigObject) ref, full);
            }
        }
    }

    /**
     * One problem per key the user wrote under the unknown key {@code unknown} (the deepest: its
     * origin has the line), in key order.
     */
    private void unknownKeys(ConfigValue value, String path, String unknown) {
        if (value.valueType() == ConfigValueType.OBJECT && !((ConfigObject) value).isEmpty()) {
            ConfigObject o = (ConfigObject) value;
            for (String key : new TreeSet<>(o.keySet())) {
                unknownKeys(o.get(key), ConfigText.join(path, key), unknown);
            }
            return;
        }
        List<String> known = knownKeys();
        String guess = ConfigText.closest(path, known);
        if (guess == null && !path.equals(unknown)) {
            guess = ConfigText.closest(unknown, known);
        }
        problems.add(path, new ConfigurationException(path + " is not a procactor setting" + origin(value)
                + (guess != null ? "; did you mean " + guess + "?" : "")
                + " Every setting is listed, with its meaning and default, in reference.conf"));
    }

    /**
     * {@code procactor.home}, {@code procactor.child} and {@code procactor.test...} are system
     * properties of launchers and tests, ignored here; given to {@code --set}, nothing would read them.
     */
    private void notASettingFromSet(ConfigValue value, String path) {
        if (value.valueType() == ConfigValueType.OBJECT) {
            ConfigObject o = (ConfigObject) value;
            for (String key : new TreeSet<>(o.keySet())) {
                notASettingFromSet(o.get(key), ConfigText.join(path, key));
            }
        } else if (ConfigText.isFromSet(value)) {
            problems.add(path, new ConfigurationException(path + " is not a procactor setting" + origin(value)
                    + "; it is a system property of the launcher, read before any configuration: pass -D" + path
                    + "=... to java (or PROCACTOR_JAVA_OPTS) instead"));
        }
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

    // ---- typed reads: each returns null after recording its problem (key, rule, value and origin) ----

    private Duration positive(String key) {
        return problems.attempt(P + key, () -> {
            Duration d;
            try {
                d = c.getDuration(P + key);
            } catch (ConfigException e) {
                throw invalid(key, DURATION, e);
            }
            if (d.isNegative() || d.isZero()) {
                throw invalid(key, DURATION);
            }
            return d;
        });
    }

    private Integer atLeast(String key, int min) {
        return problems.attempt(P + key, () -> {
            int v;
            try {
                v = c.getInt(P + key);
            } catch (ConfigException e) {
                throw invalid(key, "must be an integer of " + min + " or more", e);
            }
            if (v < min) {
                throw invalid(key, "must be an integer of " + min + " or more");
            }
            return v;
        });
    }

    private Long bytes(String key, long min, long max, String allowed) {
        return problems.attempt(P + key, () -> {
            long v;
            try {
                v = c.getBytes(P + key);
            } catch (ConfigException e) {
                throw invalid(key, allowed, e);
            }
            if (v < min || v > max) {
                throw invalid(key, allowed);
            }
            return v;
        });
    }

    private Boolean bool(String key) {
        return problems.attempt(P + key, () -> {
            try {
                return c.getBoolean(P + key);
            } catch (ConfigException e) {
                throw invalid(key, BOOLEAN, e);
            }
        });
    }

    private String string(String key, String allowed) {
        return problems.attempt(P + key, () -> {
            ConfigValue v = raw(c, P + key);
            if (v == null || v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                    || v.valueType() == ConfigValueType.NULL) {
                throw invalid(key, allowed);
            }
            return String.valueOf(v.unwrapped());
        });
    }

    private <E> E oneOf(String key, E[] values, Function<E, String> name) {
        List<String> names = Arrays.stream(values).map(name).toList();
        String allowed = "must be one of " + String.join(", ", names);
        String v = string(key, allowed);
        return v == null ? null : problems.attempt(P + key, () -> {
            for (E e : values) {
                if (name.apply(e).equalsIgnoreCase(v.trim())) {
                    return e;
                }
            }
            throw invalid(key, allowed);
        });
    }

    private List<String> classNames(String key) {
        String allowed = "must be a list of class names (e.g. [\"com.acme.Order\", \"com.acme.OrderAck\"])";
        return problems.attempt(P + key, () -> {
            try {
                return List.copyOf(c.getStringList(P + key));
            } catch (ConfigException e) {
                throw invalid(key, allowed, e);
            }
        });
    }

    /** Jars and directories that exist; relative ones against the working directory, as {@code java -cp} takes them. */
    private List<Path> classPath(String key) {
        String allowed = "must be a list of jars and directories (e.g. [\"lib/app.jar\", \"build/classes\"]), "
                + "or [] to let procactor find the children's class path";
        return problems.attempt(P + key, () -> {
            List<String> entries;
            try {
                entries = c.getStringList(P + key);
            } catch (ConfigException e) {
                throw invalid(key, allowed, e);
            }
            List<Path> paths = new ArrayList<>();
            for (String e : entries) {
                if (e.isBlank()) {
                    throw invalid(key, allowed + "; an entry is blank");
                }
                Path p;
                try {
                    p = Path.of(e.trim());
                } catch (java.nio.file.InvalidPathException bad) {
                    throw invalid(key, allowed + "; [" + e + "] is not a path");
                }
                if (!java.nio.file.Files.exists(p)) {
                    throw invalid(key, allowed + "; [" + e + "] does not exist (" + p.toAbsolutePath() + ")");
                }
                paths.add(p);
            }
            return List.copyOf(paths);
        });
    }

    private List<String> packageNames(String key) {
        String allowed = "must be a list of package names (e.g. [\"com.acme.messages\"])";
        return problems.attempt(P + key, () -> {
            List<String> names;
            try {
                names = c.getStringList(P + key);
            } catch (ConfigException e) {
                throw invalid(key, allowed, e);
            }
            for (String n : names) {
                if (!n.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*")) {
                    throw invalid(key, allowed + "; [" + n + "] is not one");
                }
            }
            return List.copyOf(names);
        });
    }

    private List<String> jvmOptions(String key) {
        String allowed = "must be a list of JVM options, each starting with '-' (e.g. [\"-Xmx256m\", \"-Dkey=value\"])";
        return problems.attempt(P + key, () -> {
            List<String> options;
            try {
                options = c.getStringList(P + key);
            } catch (ConfigException e) {
                throw invalid(key, allowed, e);
            }
            for (String o : options) {
                if (!o.startsWith("-")) {
                    throw invalid(key, allowed + "; [" + o + "] does not");
                }
            }
            return List.copyOf(options);
        });
    }

    private Duration heartbeatTimeout(Duration interval) {
        Duration timeout = positive("process.heartbeat-timeout");
        if (interval == null || timeout == null) {
            return null;
        }
        return problems.attempt(P + "process.heartbeat-timeout", () -> {
            if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
                throw invalid("process.heartbeat-timeout", "must be at least twice procactor.process.heartbeat-interval ["
                        + ConfigText.show(raw(c, P + "process.heartbeat-interval")) + "]");
            }
            return timeout;
        });
    }

    // ---- messages ----

    private ConfigurationException invalid(String key, String allowed) {
        return invalid(key, allowed, null);
    }

    /** {@code procactor.<key> <allowed>, was [<value>] (set at <origin>)}. */
    private ConfigurationException invalid(String key, String allowed, ConfigException cause) {
        String path = P + key;
        ConfigValue v = raw(c, path);
        String was = v == null ? "missing; reference.conf defines every key, is it on the class path?"
                : "was [" + ConfigText.show(v) + "]" + origin(v);
        return new ConfigurationException(path + " " + allowed + ", " + was, cause);
    }
}
