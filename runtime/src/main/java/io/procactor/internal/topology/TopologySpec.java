package io.procactor.internal.topology;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.procactor.Actor;
import io.procactor.ActorCreationException;
import io.procactor.ActorRef;
import io.procactor.ConfigurationException;
import io.procactor.PoolOptions;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.RestartPolicy;
import io.procactor.Routing;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.core.Names;
import io.procactor.internal.core.Primitives;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A topology as read from {@code procactor.topology}, checked completely before anything starts:
 * every key known, every class loadable and an actor, every {@link Props} creatable (refs stand in
 * as placeholders), every name and reference defined, the startup order free of cycles. Each
 * rule fails with a {@link ConfigurationException} naming the full key path, the value, where it
 * was set and the fix. Immutable and thread-safe.
 */
public final class TopologySpec {
    public static final String ROOT = "procactor.topology";
    /** In {@code args}, a string {@code "ref:NAME"} is the ref of process or pool NAME (or of the runner: {@code ref:topology}). */
    public static final String REF_PREFIX = "ref:";
    /** The runner's node-local actor, which receives the done message and prints what else it gets. */
    public static final String RUNNER = "topology";

    private static final Set<String> TOP_KEYS = Set.of("name", "sample", "processes", "pools", "start", "done");
    private static final Set<String> COMMON_KEYS = Set.of("actor", "args", "after", "jvm-options", "environment");
    private static final Set<String> PROCESS_KEYS = union(COMMON_KEYS, Set.of("restart"));
    private static final Set<String> POOL_KEYS = union(COMMON_KEYS,
            Set.of("size", "routing", "chunk-size", "prefetch", "max-tasks-per-child", "retries", "task-timeout"));
    private static final Set<String> RESTART_KEYS = Set.of("type", "max-restarts", "within", "min-backoff", "max-backoff", "jitter");
    private static final Set<String> START_KEYS = Set.of("to", "message");
    private static final Set<String> DONE_KEYS = Set.of("when", "message", "after");
    private static final String NAME_RULE = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

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
            return TopologySpec.props(actor, args, refs);
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

    private TopologySpec(String name, String sample, Map<String, Entry> entries, List<String> order, Start start, Done done) {
        this.name = name;
        this.sample = sample;
        this.entries = Collections.unmodifiableMap(entries);
        this.order = List.copyOf(order);
        this.start = start;
        this.done = done;
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

    // ---- reading ----

    /**
     * Reads {@code procactor.topology} of {@code config} (a loaded, resolved configuration).
     *
     * @throws ConfigurationException naming the first problem: key path, value, origin and fix
     */
    public static TopologySpec parse(Config config, ClassLoader loader) {
        try {
            return read(config, loader);
        } catch (ConfigException e) {
            throw ConfigLoader.wrap(e);
        }
    }

    private static TopologySpec read(Config config, ClassLoader loader) {
        ConfigValue rootValue = raw(config, ROOT);
        if (rootValue == null) {
            throw new ConfigurationException(ROOT + " is missing; a topology file declares procactor.topology { processes {...}, "
                    + "pools {...}, start {...}, done {...} } or names a sample: procactor.topology.sample = NAME "
                    + "(see docs/topologies.md)");
        }
        ConfigObject root = object(rootValue, ROOT, "must be an object with processes, pools, start and done");
        checkKeys(root, ROOT, TOP_KEYS, "a topology");
        String name = null;
        if (root.containsKey("name")) {
            name = string(root.get("name"), ROOT + ".name", NAME_RULE + " (it names the actor system)");
            if (!Names.isValid(name)) {
                throw invalid(root.get("name"), ROOT + ".name", NAME_RULE + " (it names the actor system)");
            }
        }
        if (root.containsKey("sample")) {
            String sample = string(root.get("sample"), ROOT + ".sample", "must be the name of a sample (see 'procactor samples')");
            for (String k : List.of("processes", "pools", "start", "done")) {
                if (root.containsKey(k)) {
                    throw new ConfigurationException(ROOT + "." + k + " cannot be used with " + ROOT + ".sample" + origin(root.get(k))
                            + "; a topology either names a sample or declares its processes and pools: remove one of them");
                }
            }
            return new TopologySpec(name, sample, new LinkedHashMap<>(), List.of(), null, new Done(When.EXIT, null, null));
        }

        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, ConfigObject> declared = new LinkedHashMap<>();
        Set<String> poolNames = new LinkedHashSet<>();
        for (String section : List.of("processes", "pools")) {
            if (!root.containsKey(section)) {
                continue;
            }
            String sectionPath = ROOT + "." + section;
            ConfigObject s = object(root.get(section), sectionPath, "must be an object of " + section + " by name, e.g. "
                    + section + " { worker { actor = \"com.acme.Worker\" } }");
            for (String entryName : new TreeSet<>(s.keySet())) {
                String path = ConfigLoader.join(sectionPath, entryName);
                ConfigValue v = s.get(entryName);
                if (!Names.isValid(entryName)) {
                    throw new ConfigurationException(path + ": the name [" + entryName + "] " + NAME_RULE + origin(v));
                }
                if (entryName.equals(RUNNER) || entryName.equals("node")) {
                    throw new ConfigurationException(path + ": the name [" + entryName + "] is reserved (ref:" + RUNNER
                            + " is the runner, node is the node itself)" + origin(v) + "; choose another name");
                }
                if (declared.containsKey(entryName)) {
                    throw new ConfigurationException(path + ": the name [" + entryName + "] is already used by "
                            + ROOT + ".processes." + entryName + origin(v) + "; processes and pools need distinct names");
                }
                declared.put(entryName, object(v, path, "must be an object with at least actor = \"<class name>\""));
                if (section.equals("pools")) {
                    poolNames.add(entryName);
                }
            }
        }
        if (declared.isEmpty()) {
            throw new ConfigurationException(ROOT + " declares no processes and no pools" + origin(rootValue) + "; add "
                    + ROOT + ".processes { NAME { actor = \"<class>\" } } or name a sample: " + ROOT + ".sample = NAME");
        }
        for (String pool : poolNames) {
            for (String other : declared.keySet()) {
                if (!poolNames.contains(other) && other.matches(java.util.regex.Pattern.quote(pool) + "-\\d+")) {
                    throw new ConfigurationException(ROOT + ".processes." + other + ": the name [" + other
                            + "] is taken by the worker processes of pool [" + pool + "] (" + pool + "-1, " + pool + "-2, ...)"
                            + origin(declared.get(other)) + "; choose another name");
                }
            }
        }
        Set<String> refTargets = new TreeSet<>(declared.keySet());
        refTargets.add(RUNNER);
        for (Map.Entry<String, ConfigObject> d : declared.entrySet()) {
            boolean pool = poolNames.contains(d.getKey());
            entries.put(d.getKey(), entry(d.getKey(), pool, d.getValue(), declared.keySet(), refTargets, loader));
        }
        List<String> order = order(entries, declared);
        Start start = root.containsKey("start") ? start(root.get("start"), declared.keySet()) : null;
        Done done = root.containsKey("done") ? done(root.get("done")) : new Done(When.CTRL_C, null, null);
        if (done.when() == When.EXIT && entries.values().stream().allMatch(Entry::pool)) {
            throw new ConfigurationException(ROOT + ".done.when = exit needs at least one process, but this topology has only "
                    + "pools, which never exit by themselves" + origin(raw(config, ROOT + ".done.when"))
                    + "; use when = message, duration or ctrl-c");
        }
        return new TopologySpec(name, null, entries, order, start, done);
    }

    private static Entry entry(String name, boolean pool, ConfigObject o, Set<String> names, Set<String> refTargets,
                               ClassLoader loader) {
        String path = ConfigLoader.join(ROOT + (pool ? ".pools" : ".processes"), name);
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
                    v = new RefArg(target);
                }
                args.add(v);
                i++;
            }
        }
        try {
            props(actor, args, Placeholders.ActorRef::new);
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
                    throw invalid(v, ConfigLoader.join(path + ".environment", k), "must be a string, number or boolean "
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
        return new Entry(name, pool, path, actor, Collections.unmodifiableList(args), List.copyOf(after), processOptions, poolOptions);
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
            List<String> allowed = Arrays.stream(Routing.values()).map(TopologySpec::routingName).toList();
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
    public static String routingName(Routing r) {
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

    private static Start start(ConfigValue v, Set<String> names) {
        String path = ROOT + ".start";
        ConfigObject o = object(v, path, "must be an object { to = NAME, message = \"go\" }");
        checkKeys(o, path, START_KEYS, "start");
        if (!o.containsKey("to")) {
            throw new ConfigurationException(path + ".to is missing" + origin(o) + "; name the process or pool that receives the "
                    + "start message, e.g. to = producer");
        }
        String to = string(o.get("to"), path + ".to", "must name a process or pool of this topology");
        if (!names.contains(to)) {
            throw invalid(o.get("to"), path + ".to", "must name a process or pool of this topology, one of " + new TreeSet<>(names));
        }
        if (!o.containsKey("message")) {
            throw new ConfigurationException(path + ".message is missing" + origin(o) + "; give the message to send, e.g. "
                    + "message = \"go\" (a string, number or boolean)");
        }
        ConfigValue m = o.get("message");
        if (m.valueType() != ConfigValueType.STRING && m.valueType() != ConfigValueType.NUMBER
                && m.valueType() != ConfigValueType.BOOLEAN) {
            throw invalid(m, path + ".message", "must be a string, number or boolean");
        }
        return new Start(to, m.unwrapped());
    }

    private static Done done(ConfigValue v) {
        String path = ROOT + ".done";
        String whens = Arrays.stream(When.values()).map(When::configName).collect(Collectors.joining(", "));
        ConfigObject o = object(v, path, "must be an object { when = message, message = \"done\" }, { when = duration, "
                + "after = 10s }, { when = exit } or { when = ctrl-c }");
        checkKeys(o, path, DONE_KEYS, "done");
        When when = When.CTRL_C;
        if (o.containsKey("when")) {
            String w = string(o.get("when"), path + ".when", "must be one of " + whens);
            when = Arrays.stream(When.values()).filter(x -> x.configName().equals(w.trim().toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> invalid(o.get("when"), path + ".when", "must be one of " + whens));
        }
        // message with another when, or after without duration, is ignored: so that --set can switch when alone
        return switch (when) {
            case MESSAGE -> new Done(when, o.containsKey("message")
                    ? string(o.get("message"), path + ".message", "must be a string, which a process sends to ref:" + RUNNER)
                    : "done", null);
            case DURATION -> {
                if (!o.containsKey("after")) {
                    throw new ConfigurationException(path + ".after is missing" + origin(o)
                            + "; with when = duration, say how long the topology runs, e.g. after = 10s");
                }
                yield new Done(when, null, duration(o.get("after"), path + ".after", false, "must be a positive duration, e.g. 10s"));
            }
            default -> new Done(when, null, null);
        };
    }

    /** Kahn's algorithm, processes before pools and by name among equals; a cycle fails with its path. */
    private static List<String> order(Map<String, Entry> entries, Map<String, ConfigObject> declared) {
        for (String n : entries.keySet()) {
            List<String> cycle = cycleFrom(n, entries, new ArrayList<>(), new java.util.HashSet<>());
            if (cycle != null) {
                ConfigObject first = declared.get(cycle.get(0));
                throw new ConfigurationException(ROOT + " has a cycle in its startup order: " + String.join(" -> ", cycle)
                        + origin(first.get("after")) + "; each process or pool starts after those in its after list, so they "
                        + "cannot wait for each other: remove one of these after entries (a \"ref:NAME\" argument needs no after "
                        + "entry unless the actor sends to NAME as soon as it starts)");
            }
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        while (order.size() < entries.size()) {
            for (Entry e : entries.values()) {
                if (!done.contains(e.name()) && done.containsAll(e.after())) {
                    done.add(e.name());
                    order.add(e.name());
                    break;
                }
            }
        }
        return order;
    }

    private static List<String> cycleFrom(String n, Map<String, Entry> entries, List<String> path, Set<String> finished) {
        int at = path.indexOf(n);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(n);
            return cycle;
        }
        if (finished.contains(n)) {
            return null;
        }
        path.add(n);
        for (String dep : entries.get(n).after()) {
            List<String> c = cycleFrom(dep, entries, path, finished);
            if (c != null) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        finished.add(n);
        return null;
    }

    // ---- props: arguments fitted to a constructor ----

    private static final Object NO_FIT = new Object();

    /**
     * Props for {@code actor} from topology arguments: refs replaced by {@code refs}, and numbers and
     * strings converted to the parameter types of the one public constructor they fit (an
     * {@code int} from {@code 1000}, a {@code Duration} from {@code "5s"}). When no or several
     * constructors fit, {@link Props#create} explains what is wrong with the arguments as given.
     */
    static Props props(Class<? extends Actor> actor, List<Object> args, Function<String, ActorRef> refs) {
        List<Object[]> fits = new ArrayList<>();
        for (Constructor<?> k : actor.getConstructors()) {
            Object[] fitted = fit(k.getParameterTypes(), args, refs);
            if (fitted != null) {
                fits.add(fitted);
            }
        }
        if (fits.size() == 1) {
            return Props.create(actor, fits.get(0));
        }
        Object[] raw = args.stream().map(a -> a instanceof RefArg r ? refs.apply(r.name()) : a).toArray();
        return Props.create(actor, raw);
    }

    private static Object[] fit(Class<?>[] params, List<Object> args, Function<String, ActorRef> refs) {
        if (params.length != args.size()) {
            return null;
        }
        Object[] out = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Object v = fitOne(params[i], args.get(i), refs);
            if (v == NO_FIT) {
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    private static Object fitOne(Class<?> type, Object a, Function<String, ActorRef> refs) {
        if (a instanceof RefArg r) {
            return type.isAssignableFrom(ActorRef.class) ? refs.apply(r.name()) : NO_FIT;
        }
        if (a == null) {
            return type.isPrimitive() ? NO_FIT : null;
        }
        Class<?> t = Primitives.box(type);
        if (t.isInstance(a)) {
            return a;
        }
        if (a instanceof Number n) {
            boolean integral = a instanceof Integer || a instanceof Long;
            if (t == Long.class && integral) {
                return n.longValue();
            }
            if (t == Integer.class && integral && n.longValue() == n.intValue()) {
                return n.intValue();
            }
            if (t == Short.class && integral && n.longValue() == n.shortValue()) {
                return n.shortValue();
            }
            if (t == Double.class) {
                return n.doubleValue();
            }
            if (t == Float.class) {
                return n.floatValue();
            }
            return NO_FIT;
        }
        if (a instanceof String s) {
            if (t == Duration.class) {
                try {
                    return ConfigFactory.empty().withValue("d", ConfigValueFactory.fromAnyRef(s)).getDuration("d");
                } catch (ConfigException e) {
                    return NO_FIT;
                }
            }
            if (t == Character.class && s.length() == 1) {
                return s.charAt(0);
            }
        }
        return NO_FIT;
    }

    // ---- checks and messages ----

    private static void checkKeys(ConfigObject o, String path, Set<String> allowed, String what) {
        for (String key : new TreeSet<>(o.keySet())) {
            if (allowed.contains(key)) {
                continue;
            }
            String full = ConfigLoader.join(path, key);
            List<String> known = allowed.stream().map(k -> path + "." + k).sorted().toList();
            String guess = ConfigLoader.closest(full, known);
            String hint = guess != null ? "; did you mean " + guess + "?" : "";
            if (what.equals("a pool") && key.equals("restart")) {
                hint = "; a pool replaces dead workers itself (see retries), so it has no restart policy";
            }
            throw new ConfigurationException(full + " is not a key of " + what + origin(o.get(key)) + hint + " Known keys: "
                    + allowed.stream().sorted().collect(Collectors.joining(", ")));
        }
    }

    private static ConfigObject object(ConfigValue v, String path, String rule) {
        if (v == null || v.valueType() != ConfigValueType.OBJECT) {
            throw invalid(v, path, rule);
        }
        return (ConfigObject) v;
    }

    private static String string(ConfigValue v, String path, String rule) {
        if (v == null || v.valueType() != ConfigValueType.STRING) {
            throw invalid(v, path, rule);
        }
        return (String) v.unwrapped();
    }

    private static int intBetween(ConfigValue v, String path, int min, int max, String rule) {
        Object u = v.unwrapped();
        if (u instanceof String s) { // "3" from an environment variable or --set "3"
            try {
                u = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw invalid(v, path, rule);
            }
        }
        if (!(u instanceof Integer || u instanceof Long) || ((Number) u).longValue() < min || ((Number) u).longValue() > max) {
            throw invalid(v, path, rule);
        }
        return ((Number) u).intValue();
    }

    private static Duration duration(ConfigValue v, String path, boolean zeroAllowed, String rule) {
        Duration d;
        try {
            d = ConfigFactory.empty().withValue("d", v).getDuration("d");
        } catch (ConfigException e) {
            throw invalid(v, path, rule);
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw invalid(v, path, rule);
        }
        return d;
    }

    /** {@code <path> <rule>, was [<value>] (set at <origin>)}. */
    static ConfigurationException invalid(ConfigValue v, String path, String rule) {
        return new ConfigurationException(path + " " + rule + ", was [" + (v == null ? "missing" : ConfigLoader.show(v)) + "]"
                + origin(v));
    }

    private static String origin(ConfigValue v) {
        return v == null ? "" : " (set at " + ConfigLoader.where(v.origin()) + ")";
    }

    private static ConfigValue raw(Config c, String path) {
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

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    @Override
    public String toString() {
        return sample != null ? "Topology[sample " + sample + "]" : "Topology" + order;
    }
}
