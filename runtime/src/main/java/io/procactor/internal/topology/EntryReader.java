package io.procactor.internal.topology;

import static io.procactor.internal.topology.HoconChecks.checkKeys;
import static io.procactor.internal.topology.HoconChecks.duration;
import static io.procactor.internal.topology.HoconChecks.intBetween;
import static io.procactor.internal.topology.HoconChecks.invalid;
import static io.procactor.internal.topology.HoconChecks.object;
import static io.procactor.internal.config.ConfigText.origin;
import static io.procactor.internal.topology.HoconChecks.string;
import static io.procactor.internal.topology.HoconChecks.union;
import static io.procactor.internal.topology.TopologySpec.REF_PREFIX;
import static io.procactor.internal.topology.TopologySpec.ROOT;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.procactor.Actor;
import io.procactor.ActorCreationException;
import io.procactor.ConfigurationException;
import io.procactor.PoolOptions;
import io.procactor.ProcessOptions;
import io.procactor.RestartPolicy;
import io.procactor.Routing;
import io.procactor.internal.config.ConfigText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one process or pool of a topology ({@code procactor.topology.processes.NAME} or
 * {@code pools.NAME}) into a {@link TopologySpec.Entry}: its actor class, arguments (checked
 * against the constructors with placeholder refs), after list, JVM options, environment, and
 * restart policy or pool options. Stateless; thread-safe.
 */
final class EntryReader {
    private static final Set<String> COMMON_KEYS = Set.of("actor", "args", "after", "jvm-options", "environment");
    private static final Set<String> PROCESS_KEYS = union(COMMON_KEYS, Set.of("restart"));
    private static final Set<String> POOL_KEYS = union(COMMON_KEYS,
            Set.of("size", "routing", "chunk-size", "prefetch", "max-tasks-per-child", "retries", "task-timeout"));
    private static final Set<String> RESTART_KEYS = Set.of("type", "max-restarts", "within", "min-backoff", "max-backoff", "jitter");

    private EntryReader() {
    }

    static TopologySpec.Entry read(String name, boolean pool, ConfigObject o, Set<String> names, Set<String> refTargets,
                               ClassLoader loader) {
        String path = ConfigText.join(ROOT + (pool ? ".pools" : ".processes"), name);
        checkKeys(o, path, pool ? POOL_KEYS : PROCESS_KEYS, pool ? "a pool" : "a process");
        if (!o.containsKey("actor")) {
            throw new ConfigurationException(path + ".actor is missing" + origin(o) + "; name the actor class the "
                    + (pool ? "pool's workers host" : "process hosts") + ", e.g. actor = \"com.acme.Worker\"");
        }
        Class<? extends Actor> actor = actorClass(o.get("actor"), path + ".actor", loader);

        List<Object> args = new ArrayList<>();
        if (o.containsKey("args")) {
            ConfigValue a = o.get("args");
            if (a.valueType() != ConfigValueType.LIST) {
                throw invalid(a, path + ".args", "must be a list of constructor arguments, e.g. [\"ref:collector\", 1000]");
            }
            int i = 0;
            for (ConfigValue item : (ConfigList) a) {
                Object v = item.unwrapped();
                if (v instanceof String s && s.startsWith(REF_PREFIX)) {
                    String target = s.substring(REF_PREFIX.length());
                    if (!refTargets.contains(target)) {
                        throw invalid(item, path + ".args[" + i + "]", "must refer to a process or pool of this topology "
                                + "or to the runner: one of " + refTargets.stream().map(t -> REF_PREFIX + t).toList());
                    }
                    v = new TopologySpec.RefArg(target);
                }
                args.add(v);
                i++;
            }
        }
        try {
            ArgsFitter.props(actor, args, Placeholders.ActorRef::new);
        } catch (ActorCreationException e) {
            ConfigValue at = o.containsKey("args") ? o.get("args") : o.get("actor");
            throw new ConfigurationException(path + ".args " + "must fit a public constructor of [" + actor.getName() + "], was "
                    + args + origin(at) + ": " + e.getMessage() + " (a \"ref:NAME\" argument is an ActorRef; numbers "
                    + "convert to int, long or double, strings such as \"5s\" to Duration)", e);
        }

        List<String> after = new ArrayList<>();
        if (o.containsKey("after")) {
            ConfigValue a = o.get("after");
            if (a.valueType() != ConfigValueType.LIST) {
                throw invalid(a, path + ".after", "must be a list of process or pool names that start first, e.g. [workers, collector]");
            }
            int i = 0;
            for (ConfigValue item : (ConfigList) a) {
                String dep = item.valueType() == ConfigValueType.STRING ? (String) item.unwrapped() : null;
                if (dep == null || !names.contains(dep)) {
                    throw invalid(item, path + ".after[" + i + "]", "must name a process or pool of this topology, one of "
                            + new TreeSet<>(names));
                }
                if (!after.contains(dep)) {
                    after.add(dep);
                }
                i++;
            }
        }

        List<String> jvmOptions = new ArrayList<>();
        if (o.containsKey("jvm-options")) {
            ConfigValue j = o.get("jvm-options");
            String rule = "must be a list of JVM options, each starting with '-', e.g. [\"-Xmx256m\", \"-XX:+UseSerialGC\", \"-Dkey=value\"]";
            if (j.valueType() != ConfigValueType.LIST) {
                throw invalid(j, path + ".jvm-options", rule);
            }
            int i = 0;
            for (ConfigValue item : (ConfigList) j) {
                if (item.valueType() != ConfigValueType.STRING || !((String) item.unwrapped()).startsWith("-")) {
                    throw invalid(item, path + ".jvm-options[" + i + "]", rule);
                }
                jvmOptions.add((String) item.unwrapped());
                i++;
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (o.containsKey("environment")) {
            ConfigObject e = object(o.get("environment"), path + ".environment",
                    "must be an object of environment variables, e.g. { LANG = \"C.UTF-8\" }");
            for (String k : new TreeSet<>(e.keySet())) {
                ConfigValue v = e.get(k);
                if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                        || v.valueType() == ConfigValueType.NULL) {
                    throw invalid(v, ConfigText.join(path + ".environment", k), "must be a string, number or boolean "
                            + "(quote a variable name that contains '.', e.g. \"a.b\" = x)");
                }
                env.put(k, String.valueOf(v.unwrapped()));
            }
        }
        ProcessOptions processOptions = ProcessOptions.defaults().jvmOptions(jvmOptions.toArray(String[]::new)).environment(env);
        PoolOptions poolOptions = null;
        if (pool) {
            poolOptions = poolOptions(name, o, path).jvmOptions(jvmOptions.toArray(String[]::new)).environment(env);
        } else if (o.containsKey("restart")) {
            processOptions = processOptions.restart(restart(o.get("restart"), path + ".restart"));
        }
        return new TopologySpec.Entry(name, pool, path, actor, Collections.unmodifiableList(args), List.copyOf(after), processOptions, poolOptions);
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Actor> actorClass(ConfigValue v, String path, ClassLoader loader) {
        String className = string(v, path, "must be the fully qualified name of an actor class, e.g. \"com.acme.Worker\"");
        Class<?> c;
        try {
            c = Class.forName(className.trim(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            String hint = className.contains(".") ? "check the spelling (package included) or add the class's jar to the class path"
                    : "give the fully qualified name, package included";
            throw new ConfigurationException(path + " must name an actor class on the class path, was [" + className + "]"
                    + origin(v) + "; " + hint, e);
        }
        if (!Actor.class.isAssignableFrom(c)) {
            throw invalid(v, path, "must name a subclass of io.procactor.Actor, but [" + className + "] is not one");
        }
        return (Class<? extends Actor>) c;
    }

    private static PoolOptions poolOptions(String name, ConfigObject o, String path) {
        PoolOptions p = PoolOptions.defaults().name(name);
        if (o.containsKey("size")) {
            p = p.withSize(intBetween(o.get("size"), path + ".size", 1, 1024, "must be an integer between 1 and 1024 (worker processes)"));
        }
        if (o.containsKey("routing")) {
            List<String> allowed = Arrays.stream(Routing.values()).map(EntryReader::routingName).toList();
            String r = string(o.get("routing"), path + ".routing", "must be one of " + String.join(", ", allowed));
            Routing routing = Arrays.stream(Routing.values()).filter(x -> routingName(x).equals(r.trim().toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow(() -> invalid(o.get("routing"), path + ".routing", "must be one of "
                            + String.join(", ", allowed)));
            p = p.routing(routing);
        }
        if (o.containsKey("chunk-size")) {
            p = p.chunkSize(intBetween(o.get("chunk-size"), path + ".chunk-size", 0, Integer.MAX_VALUE,
                    "must be an integer of 0 (automatic) or more"));
        }
        if (o.containsKey("prefetch")) {
            p = p.prefetch(intBetween(o.get("prefetch"), path + ".prefetch", 0, Integer.MAX_VALUE,
                    "must be an integer of 0 (adaptive) or more"));
        }
        if (o.containsKey("max-tasks-per-child")) {
            p = p.maxTasksPerChild(intBetween(o.get("max-tasks-per-child"), path + ".max-tasks-per-child", 0, Integer.MAX_VALUE,
                    "must be an integer of 0 (never recycle) or more"));
        }
        if (o.containsKey("retries")) {
            p = p.retries(intBetween(o.get("retries"), path + ".retries", 0, Integer.MAX_VALUE, "must be an integer of 0 or more"));
        }
        if (o.containsKey("task-timeout")) {
            p = p.taskTimeout(duration(o.get("task-timeout"), path + ".task-timeout", true,
                    "must be a duration of 0s (no limit) or more, e.g. 30s"));
        }
        return p;
    }

    /** {@code WORK_PULLING} is {@code work-pulling}. */
    private static String routingName(Routing r) {
        return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static RestartPolicy restart(ConfigValue v, String path) {
        String types = "permanent, transient, temporary";
        if (v.valueType() == ConfigValueType.STRING) {
            return RestartPolicy.of(restartType(v, path, types));
        }
        ConfigObject o = object(v, path, "must be one of " + types + ", or an object { type = permanent, max-restarts = 3, "
                + "within = 5s, min-backoff = 100ms, max-backoff = 10s, jitter = 0.2 }");
        checkKeys(o, path, RESTART_KEYS, "a restart policy");
        if (!o.containsKey("type")) {
            throw new ConfigurationException(path + ".type is missing" + origin(o) + "; set it to one of " + types);
        }
        RestartPolicy p = RestartPolicy.of(restartType(o.get("type"), path + ".type", types));
        int max = o.containsKey("max-restarts")
                ? intBetween(o.get("max-restarts"), path + ".max-restarts", 0, Integer.MAX_VALUE, "must be an integer of 0 or more")
                : p.maxRestarts();
        Duration within = o.containsKey("within") ? duration(o.get("within"), path + ".within", false,
                "must be a positive duration, e.g. 5s") : p.within();
        Duration min = o.containsKey("min-backoff") ? duration(o.get("min-backoff"), path + ".min-backoff", true,
                "must be a duration of 0s or more, e.g. 100ms") : p.minBackoff();
        Duration maxBackoff = o.containsKey("max-backoff") ? duration(o.get("max-backoff"), path + ".max-backoff", true,
                "must be a duration of at least min-backoff, e.g. 10s") : p.maxBackoff();
        if (maxBackoff.compareTo(min) < 0) {
            throw invalid(o.containsKey("max-backoff") ? o.get("max-backoff") : o.get("min-backoff"), path + ".max-backoff",
                    "must be at least min-backoff [" + min.toMillis() + " ms]");
        }
        double jitter = p.jitter();
        if (o.containsKey("jitter")) {
            ConfigValue j = o.get("jitter");
            if (!(j.unwrapped() instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
                throw invalid(j, path + ".jitter", "must be a number between 0 and 1 (0.2 = up to 20% longer)");
            }
            jitter = n.doubleValue();
        }
        return p.withIntensity(max, within).withBackoff(min, maxBackoff, jitter);
    }

    private static RestartPolicy.Type restartType(ConfigValue v, String path, String types) {
        String s = string(v, path, "must be one of " + types);
        try {
            return RestartPolicy.Type.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(v, path, "must be one of " + types);
        }
    }
}
