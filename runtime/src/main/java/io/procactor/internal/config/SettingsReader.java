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
 * Reads the {@code procactor} section of a HOCON {@link Config} into {@link Settings}, checking
 * every key: an invalid value fails with its full key path, what is allowed, the value and where it
 * was set; a key reference.conf does not define fails naming the closest known key. Stateless;
 * thread-safe.
 */
final class SettingsReader {
    private static final String P = "procactor.";
    /** Subtrees whose keys are the user's own (class names) or checked elsewhere (topologies). */
    private static final Set<String> FREE_FORM = Set.of("procactor.serialization.registrations", "procactor.topology");
    private static final String DURATION = "must be a positive duration (e.g. 10s, 500ms)";
    private static final String BOOLEAN = "must be a boolean (on/off, true/false, yes/no)";

    private SettingsReader() {
    }

    static Settings read(Config c) {
        ConfigValue root = raw(c, "procactor");
        if (root == null || root.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigurationException("procactor must be an object holding procactor's settings, was ["
                    + ConfigText.show(root) + "]" + origin(root) + "; is reference.conf on the class path?");
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
                positive(c, "admin.status-timeout"));
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
            String full = ConfigText.join(path, key);
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
                        + ", was [" + ConfigText.show(u) + "]" + origin(u));
            }
            if (!refIsObject && userIsObject) {
                throw new ConfigurationException(full + " must be a single value like its default ["
                        + ConfigText.show(ref) + "], not an object, was [" + ConfigText.show(u) + "]" + origin(u));
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
            leaf = ConfigText.join(leaf, first);
            v = ((ConfigObject) v).get(first);
        }
        List<String> known = knownKeys();
        String guess = ConfigText.closest(leaf, known);
        if (guess == null && !leaf.equals(path)) {
            guess = ConfigText.closest(path, known);
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
                    + ConfigText.show(raw(c, P + "process.heartbeat-interval")) + "]");
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
                : "was [" + ConfigText.show(v) + "]" + origin(v);
        return new ConfigurationException(path + " " + allowed + ", " + was, cause);
    }


}
