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
import io.procactor.internal.config.Problems;
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
import java.util.function.Function;

/**
 * Reads one process or pool of a topology ({@code procactor.topology.processes.NAME} or
 * {@code pools.NAME}) into a {@link TopologySpec.Entry}: its actor class, arguments (checked
 * against the constructors with placeholder refs), after list, JVM options, environment, and
 * restart policy or pool options. Each rule broken is recorded in the {@link Problems} of the
 * whole topology and reading goes on. One instance per entry, on one thread.
 */
final class EntryReader {
    private static final Set<String> COMMON_KEYS = Set.of("actor", "args", "after", "jvm-options", "environment");
    private static final Set<String> PROCESS_KEYS = union(COMMON_KEYS, Set.of("restart"));
    private static final Set<String> POOL_KEYS = union(COMMON_KEYS,
            Set.of("size", "routing", "chunk-size", "prefetch", "max-tasks-per-child", "retries", "task-timeout"));
    private static final Set<String> RESTART_KEYS = Set.of("type", "max-restarts", "within", "min-backoff", "max-backoff", "jitter");
    private static final String RESTART_TYPES = "permanent, transient, temporary";

    private final String name;
    private final boolean pool;
    private final ConfigObject o;
    private final String path;
    private final Problems problems;

    private EntryReader(String name, boolean pool, ConfigObject o, Problems problems) {
        this.name = name;
        this.pool = pool;
        this.o = o;
        this.path = ConfigText.join(ROOT + (pool ? ".pools" : ".processes"), name);
        this.problems = problems;
    }

    /**
     * The entry {@code name}, or null if it has problems (recorded in {@code problems}). Its
     * after list (the valid names of it) goes to {@code after} either way, for the start order.
     *
     * @param names      the processes and pools of the topology, which after lists may name
     * @param refTargets what "ref:NAME" arguments may name: those and the runner
     */
    static TopologySpec.Entry read(String name, boolean pool, ConfigObject o, Set<String> names, Set<String> refTargets,
                                   ClassLoader loader, Problems problems, Map<String, List<String>> after) {
        return new EntryReader(name, pool, o, problems).read(names, refTargets, loader, after);
    }

    private TopologySpec.Entry read(Set<String> names, Set<String> refTargets, ClassLoader loader,
                                    Map<String, List<String>> afterOut) {
        checkKeys(o, path, pool ? POOL_KEYS : PROCESS_KEYS, pool ? "a pool" : "a process", problems);
        Class<? extends Actor> actor = null;
        if (!o.containsKey("actor")) {
            problems.add(path + ".actor", new ConfigurationException(path + ".actor is missing" + origin(o) + "; name the actor "
                    + "class the " + (pool ? "pool's workers host" : "process hosts") + ", e.g. actor = \"com.acme.Worker\""));
        } else {
            actor = read("actor", v -> actorClass(v, path + ".actor", loader));
        }
        List<Object> args = args(refTargets);
        if (actor != null && args != null) {
            fitArgs(actor, args);
        }
        List<String> after = after(names);
        afterOut.put(name, after);
        List<String> jvmOptions = jvmOptions();
        Map<String, String> env = environment();
        PoolOptions poolOptions = pool ? poolOptions() : null;
        RestartPolicy restart = pool ? null : read("restart", v -> restart(v, path + ".restart"));
        if (problems.hasUnder(path)) {
            return null;
        }
        String[] options = jvmOptions.toArray(String[]::new);
        ProcessOptions processOptions = ProcessOptions.defaults().jvmOptions(options).environment(env);
        if (restart != null) {
            processOptions = processOptions.restart(restart);
        }
        if (poolOptions != null) {
            poolOptions = poolOptions.jvmOptions(options).environment(env);
        }
        return new TopologySpec.Entry(name, pool, path, actor, Collections.unmodifiableList(args), List.copyOf(after),
                processOptions, poolOptions);
    }

    /** The value of {@code key} as {@code read} makes it; null if absent or invalid (then recorded). */
    private <T> T read(String key, Function<ConfigValue, T> read) {
        return read(o, path, key, read);
    }

    /** The value of {@code key} of {@code object} (at {@code objectPath}) as {@code read} makes it; null if absent or invalid. */
    private <T> T read(ConfigObject object, String objectPath, String key, Function<ConfigValue, T> read) {
        return object.containsKey(key) ? problems.attempt(objectPath + "." + key, () -> read.apply(object.get(key))) : null;
    }

    /** The arguments, "ref:NAME" ones as {@link TopologySpec.RefArg}s; null if one is invalid. */
    private List<Object> args(Set<String> refTargets) {
        List<Object> args = new ArrayList<>();
        if (!o.containsKey("args")) {
            return args;
        }
        ConfigValue a = o.get("args");
        if (a.valueType() != ConfigValueType.LIST) {
            problems.add(path + ".args", invalid(a, path + ".args",
                    "must be a list of constructor arguments, e.g. [\"ref:collector\", 1000]"));
            return null;
        }
        boolean valid = true;
        int i = 0;
        for (ConfigValue item : (ConfigList) a) {
            Object v = item.unwrapped();
            if (v instanceof String s && s.startsWith(REF_PREFIX)) {
                String target = s.substring(REF_PREFIX.length());
                if (!refTargets.contains(target)) {
                    problems.add(path + ".args[" + i + "]", invalid(item, path + ".args[" + i + "]", "must refer to a process "
                            + "or pool of this topology or to the runner: one of "
                            + refTargets.stream().map(t -> REF_PREFIX + t).toList()));
                    valid = false;
                }
                v = new TopologySpec.RefArg(target);
            }
            args.add(v);
            i++;
        }
        return valid ? args : null;
    }

    /** Props must be creatable: refs stand in as placeholders. */
    private void fitArgs(Class<? extends Actor> actor, List<Object> args) {
        try {
            ArgsFitter.props(actor, args, Placeholders.ActorRef::new);
        } catch (ActorCreationException e) {
            ConfigValue at = o.containsKey("args") ? o.get("args") : o.get("actor");
            problems.add(path + ".args", new ConfigurationException(path + ".args " + "must fit a public constructor of ["
                    + actor.getName() + "], was " + args + origin(at) + ": " + e.getMessage() + " (a \"ref:NAME\" argument is "
                    + "an ActorRef; numbers convert to int, long or double, strings such as \"5s\" to Duration)", e));
        }
    }

    /** The valid names of the after list, each once. */
    private List<String> after(Set<String> names) {
        List<String> after = new ArrayList<>();
        if (!o.containsKey("after")) {
            return after;
        }
        ConfigValue a = o.get("after");
        if (a.valueType() != ConfigValueType.LIST) {
            problems.add(path + ".after", invalid(a, path + ".after",
                    "must be a list of process or pool names that start first, e.g. [workers, collector]"));
            return after;
        }
        int i = 0;
        for (ConfigValue item : (ConfigList) a) {
            String dep = item.valueType() == ConfigValueType.STRING ? (String) item.unwrapped() : null;
            if (dep == null || !names.contains(dep)) {
                problems.add(path + ".after[" + i + "]", invalid(item, path + ".after[" + i + "]",
                        "must name a process or pool of this topology, one of " + new TreeSet<>(names)));
            } else if (!after.contains(dep)) {
                after.add(dep);
            }
            i++;
        }
        return after;
    }

    private List<String> jvmOptions() {
        List<String> jvmOptions = new ArrayList<>();
        if (!o.containsKey("jvm-options")) {
            return jvmOptions;
        }
        ConfigValue j = o.get("jvm-options");
        String rule = "must be a list of JVM options, each starting with '-', e.g. [\"-Xmx256m\", \"-XX:+UseSerialGC\", \"-Dkey=value\"]";
        if (j.valueType() != ConfigValueType.LIST) {
            problems.add(path + ".jvm-options", invalid(j, path + ".jvm-options", rule));
            return jvmOptions;
        }
        int i = 0;
        for (ConfigValue item : (ConfigList) j) {
            if (item.valueType() != ConfigValueType.STRING || !((String) item.unwrapped()).startsWith("-")) {
                problems.add(path + ".jvm-options[" + i + "]", invalid(item, path + ".jvm-options[" + i + "]", rule));
            } else {
                jvmOptions.add((String) item.unwrapped());
            }
            i++;
        }
        return jvmOptions;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        ConfigObject e = read("environment", v -> object(v, path + ".environment",
                "must be an object of environment variables, e.g. { LANG = \"C.UTF-8\" }"));
        if (e == null) {
            return env;
        }
        for (String k : new TreeSet<>(e.keySet())) {
            ConfigValue v = e.get(k);
            String key = ConfigText.join(path + ".environment", k);
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                    || v.valueType() == ConfigValueType.NULL) {
                problems.add(key, invalid(v, key, "must be a string, number or boolean "
                        + "(quote a variable name that contains '.', e.g. \"a.b\" = x)"));
            } else {
                env.put(k, String.valueOf(v.unwrapped()));
            }
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Actor> actorClass(ConfigValue v, String path, ClassLoader loader) {
        String className = string(v, path, "must be the fully qualified name of an actor class, e.g. \"com.acme.Worker\"");
        Class<?> c;
        try {
            c = Class.forName(className.trim(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            String hint = className.contains(".") ? "check the spelling (package included), or add the jar or directory that holds it to "
                    + "procactor.topology.class-path = [...] (bin/procactor: run --class-path PATH)"
                    : "give the fully qualified name, package included";
            throw new ConfigurationException(path + " must name an actor class on the class path, was [" + className + "]"
                    + origin(v) + "; " + hint, e);
        }
        if (!Actor.class.isAssignableFrom(c)) {
            throw invalid(v, path, "must name a subclass of io.procactor.Actor, but [" + className + "] is not one");
        }
        return (Class<? extends Actor>) c;
    }

    private PoolOptions poolOptions() {
        PoolOptions p = PoolOptions.defaults().name(name);
        Integer size = read("size", v -> intBetween(v, path + ".size", 1, 1024, "must be an integer between 1 and 1024 (worker processes)"));
        if (size != null) {
            p = p.withSize(size);
        }
        Routing routing = read("routing", v -> routing(v, path + ".routing"));
        if (routing != null) {
            p = p.routing(routing);
        }
        Integer chunkSize = read("chunk-size", v -> intBetween(v, path + ".chunk-size", 0, Integer.MAX_VALUE,
                "must be an integer of 0 (automatic) or more"));
        if (chunkSize != null) {
            p = p.chunkSize(chunkSize);
        }
        Integer prefetch = read("prefetch", v -> intBetween(v, path + ".prefetch", 0, Integer.MAX_VALUE,
                "must be an integer of 0 (adaptive) or more"));
        if (prefetch != null) {
            p = p.prefetch(prefetch);
        }
        Integer maxTasks = read("max-tasks-per-child", v -> intBetween(v, path + ".max-tasks-per-child", 0, Integer.MAX_VALUE,
                "must be an integer of 0 (never recycle) or more"));
        if (maxTasks != null) {
            p = p.maxTasksPerChild(maxTasks);
        }
        Integer retries = read("retries", v -> intBetween(v, path + ".retries", 0, Integer.MAX_VALUE,
                "must be an integer of 0 or more"));
        if (retries != null) {
            p = p.retries(retries);
        }
        Duration taskTimeout = read("task-timeout", v -> duration(v, path + ".task-timeout", true,
                "must be a duration of 0s (no limit) or more, e.g. 30s"));
        if (taskTimeout != null) {
            p = p.taskTimeout(taskTimeout);
        }
        return p;
    }

    private static Routing routing(ConfigValue v, String path) {
        List<String> allowed = Arrays.stream(Routing.values()).map(EntryReader::routingName).toList();
        String r = string(v, path, "must be one of " + String.join(", ", allowed));
        return Arrays.stream(Routing.values()).filter(x -> routingName(x).equals(r.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> invalid(v, path, "must be one of " + String.join(", ", allowed)));
    }

    /** {@code WORK_PULLING} is {@code work-pulling}. */
    private static String routingName(Routing r) {
        return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A restart policy: a type alone, or an object; null if a key of it has problems (then recorded). */
    private RestartPolicy restart(ConfigValue v, String path) {
        if (v.valueType() == ConfigValueType.STRING) {
            return RestartPolicy.of(restartType(v, path, RESTART_TYPES));
        }
        ConfigObject r = object(v, path, "must be one of " + RESTART_TYPES + ", or an object { type = permanent, "
                + "max-restarts = 3, within = 5s, min-backoff = 100ms, max-backoff = 10s, jitter = 0.2 }");
        checkKeys(r, path, RESTART_KEYS, "a restart policy", problems);
        if (!r.containsKey("type")) {
            throw new ConfigurationException(path + ".type is missing" + origin(r) + "; set it to one of " + RESTART_TYPES);
        }
        RestartPolicy p = RestartPolicy.of(restartType(r.get("type"), path + ".type", RESTART_TYPES));
        Integer max = read(r, path, "max-restarts", x -> intBetween(x, path + ".max-restarts", 0, Integer.MAX_VALUE,
                "must be an integer of 0 or more"));
        Duration within = read(r, path, "within", x -> duration(x, path + ".within", false, "must be a positive duration, e.g. 5s"));
        Duration min = read(r, path, "min-backoff", x -> duration(x, path + ".min-backoff", true,
                "must be a duration of 0s or more, e.g. 100ms"));
        Duration maxBackoff = read(r, path, "max-backoff", x -> duration(x, path + ".max-backoff", true,
                "must be a duration of at least min-backoff, e.g. 10s"));
        Double jitter = read(r, path, "jitter", x -> {
            if (!(x.unwrapped() instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
                throw invalid(x, path + ".jitter", "must be a number between 0 and 1 (0.2 = up to 20% longer)");
            }
            return n.doubleValue();
        });
        if (problems.hasUnder(path)) {
            return null;
        }
        max = max != null ? max : p.maxRestarts();
        within = within != null ? within : p.within();
        min = min != null ? min : p.minBackoff();
        maxBackoff = maxBackoff != null ? maxBackoff : p.maxBackoff();
        jitter = jitter != null ? jitter : p.jitter();
        if (maxBackoff.compareTo(min) < 0) {
            throw invalid(r.containsKey("max-backoff") ? r.get("max-backoff") : r.get("min-backoff"), path + ".max-backoff",
                    "must be at least min-backoff [" + min.toMillis() + " ms]");
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
