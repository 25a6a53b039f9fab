package io.procactor.internal.topology;

import static io.procactor.internal.topology.HoconChecks.checkKeys;
import static io.procactor.internal.topology.HoconChecks.duration;
import static io.procactor.internal.topology.HoconChecks.invalid;
import static io.procactor.internal.topology.HoconChecks.object;
import static io.procactor.internal.config.ConfigText.origin;
import static io.procactor.internal.config.ConfigText.raw;
import static io.procactor.internal.topology.HoconChecks.string;
import static io.procactor.internal.topology.TopologySpec.ROOT;
import static io.procactor.internal.topology.TopologySpec.RUNNER;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.procactor.ConfigurationException;
import io.procactor.internal.config.ConfigLoader;
import io.procactor.internal.config.ConfigText;
import io.procactor.internal.config.Problems;
import io.procactor.internal.core.Names;
import io.procactor.internal.topology.TopologySpec.Done;
import io.procactor.internal.topology.TopologySpec.Entry;
import io.procactor.internal.topology.TopologySpec.Start;
import io.procactor.internal.topology.TopologySpec.When;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and checks {@code procactor.topology}: the names of its processes and pools (each read by
 * {@link EntryReader}), the start order ({@link StartOrder}), the start message and the done
 * condition. Each rule broken is a problem naming the full key path, the value, where it was set
 * and the fix; every one is found before one {@link ConfigurationException} lists them (see
 * {@link Problems}). One instance per read, on one thread.
 */
final class TopologyReader {
    private static final Set<String> TOP_KEYS = Set.of("name", "sample", "class-path", "processes", "pools", "start", "done");
    private static final Set<String> START_KEYS = Set.of("to", "message");
    private static final Set<String> DONE_KEYS = Set.of("when", "message", "after");
    private static final String NAME_RULE = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private final Config config;
    private final ClassLoader loader;
    private final Problems problems = new Problems();

    private TopologyReader(Config config, ClassLoader loader) {
        this.config = config;
        this.loader = loader;
    }

    /**
     * Reads {@code procactor.topology} of {@code config} (a loaded, resolved configuration).
     *
     * @throws ConfigurationException listing every problem, one per line: key path, value, origin and fix
     */
    static TopologySpec parse(Config config, ClassLoader loader) {
        try {
            return new TopologyReader(config, loader).read();
        } catch (ConfigException e) {
            throw ConfigLoader.wrap(e);
        }
    }

    private TopologySpec read() {
        ConfigValue rootValue = raw(config, ROOT);
        if (rootValue == null) {
            throw new ConfigurationException(ROOT + " is missing; a topology file declares procactor.topology { processes {...}, "
                    + "pools {...}, start {...}, done {...} } or names a sample: procactor.topology.sample = NAME "
                    + "(see docs/topologies.md)");
        }
        ConfigObject root = object(rootValue, ROOT, "must be an object with processes, pools, start and done");
        checkKeys(root, ROOT, TOP_KEYS, "a topology", problems);
        String name = root.containsKey("name") ? problems.attempt(ROOT + ".name", () -> name(root.get("name"))) : null;
        if (root.containsKey("sample")) {
            String sample = problems.attempt(ROOT + ".sample", () -> string(root.get("sample"), ROOT + ".sample",
                    "must be the name of a sample (see 'procactor samples')"));
            for (String k : List.of("class-path", "processes", "pools", "start", "done")) {
                if (root.containsKey(k)) {
                    problems.add(ROOT + "." + k, new ConfigurationException(ROOT + "." + k + " cannot be used with " + ROOT
                            + ".sample" + origin(root.get(k)) + "; a topology either names a sample or declares its processes "
                            + "and pools: remove one of them"));
                }
            }
            problems.throwIfAny();
            return new TopologySpec(name, sample, new LinkedHashMap<>(), List.of(), null, new Done(When.EXIT, null, null),
                    List.of(), loader);
        }
        List<Path> classPath = root.containsKey("class-path")
                ? problems.attempt(ROOT + ".class-path", () -> classPath(root.get("class-path"))) : List.of();
        ClassLoader actors = classPath == null || classPath.isEmpty() ? loader : loaderOver(classPath, loader);

        Map<String, ConfigObject> declared = new LinkedHashMap<>();
        Set<String> poolNames = new LinkedHashSet<>();
        for (String section : List.of("processes", "pools")) {
            if (root.containsKey(section)) {
                declare(section, root.get(section), declared, poolNames);
            }
        }
        if (declared.isEmpty()) {
            if (!problems.hasUnder(ROOT + ".processes") && !problems.hasUnder(ROOT + ".pools")) {
                problems.add(ROOT + ".processes", new ConfigurationException(ROOT + " declares no processes and no pools"
                        + origin(rootValue) + "; add " + ROOT + ".processes { NAME { actor = \"<class>\" } } or name a sample: "
                        + ROOT + ".sample = NAME"));
            }
            problems.throwIfAny();
        }
        checkWorkerNames(declared, poolNames);
        Map<String, List<String>> after = new LinkedHashMap<>();
        Map<String, Entry> entries = readEntries(declared, poolNames, after, actors);
        List<String> order = List.of();
        try {
            order = StartOrder.of(after, n -> origin(declared.get(n).get("after")));
        } catch (ConfigurationException cycle) {
            problems.add(ROOT + ".after", cycle); // not a key: the after lists of the processes and pools together
        }
        Start start = root.containsKey("start") ? start(root.get("start"), declared.keySet()) : null;
        Done done = root.containsKey("done") ? done(root.get("done")) : new Done(When.CTRL_C, null, null);
        if (done != null && done.when() == When.EXIT && poolNames.containsAll(declared.keySet())) {
            problems.add(ROOT + ".done.when", new ConfigurationException(ROOT + ".done.when = exit needs at least one process, "
                    + "but this topology has only pools, which never exit by themselves"
                    + origin(raw(config, ROOT + ".done.when")) + "; use when = message, duration or ctrl-c"));
        }
        problems.throwIfAny();
        return new TopologySpec(name, null, entries, order, start, done, classPath == null ? List.of() : classPath, actors);
    }

    /**
     * {@code class-path}: jars and directories that exist; a relative one is relative to the file
     * that sets it (the working directory for {@code --set}).
     */
    private static List<Path> classPath(ConfigValue v) {
        String path = ROOT + ".class-path";
        String rule = "must be a list of jars and directories holding the topology's actor classes, "
                + "e.g. [\"lib/my-actors.jar\", \"build/classes\"]";
        if (v.valueType() != ConfigValueType.LIST) {
            throw invalid(v, path, rule);
        }
        Path base = v.origin().filename() != null ? Path.of(v.origin().filename()).toAbsolutePath().getParent() : null;
        List<Path> paths = new java.util.ArrayList<>();
        for (ConfigValue e : (com.typesafe.config.ConfigList) v) {
            if (e.valueType() != ConfigValueType.STRING || ((String) e.unwrapped()).isBlank()) {
                throw invalid(v, path, rule + "; [" + ConfigText.show(e) + "] is not a path");
            }
            Path p = Path.of(((String) e.unwrapped()).trim());
            Path resolved = p.isAbsolute() || base == null ? p.toAbsolutePath() : base.resolve(p);
            if (!Files.exists(resolved)) {
                throw invalid(v, path, rule + "; [" + e.unwrapped() + "] does not exist (looked for " + resolved.normalize() + ")");
            }
            paths.add(resolved.normalize());
        }
        return List.copyOf(paths);
    }

    /** Never closed: the running system uses the classes it loads for as long as the topology lives. */
    private static ClassLoader loaderOver(List<Path> classPath, ClassLoader parent) {
        java.net.URL[] urls = new java.net.URL[classPath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = classPath.get(i).toUri().toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException("class path entry [" + classPath.get(i) + "] is no URL", e);
            }
        }
        return new java.net.URLClassLoader("procactor-topology", urls, parent);
    }

    private static String name(ConfigValue v) {
        String name = string(v, ROOT + ".name", NAME_RULE + " (it names the actor system)");
        if (!Names.isValid(name)) {
            throw invalid(v, ROOT + ".name", NAME_RULE + " (it names the actor system)");
        }
        return name;
    }

    /** Adds the entries of {@code processes} or {@code pools} with valid, distinct names to {@code declared}. */
    private void declare(String section, ConfigValue value, Map<String, ConfigObject> declared, Set<String> poolNames) {
        String sectionPath = ROOT + "." + section;
        ConfigObject s = problems.attempt(sectionPath, () -> object(value, sectionPath, "must be an object of " + section
                + " by name, e.g. " + section + " { worker { actor = \"com.acme.Worker\" } }"));
        if (s == null) {
            return;
        }
        for (String entryName : new TreeSet<>(s.keySet())) {
            String path = ConfigText.join(sectionPath, entryName);
            ConfigValue v = s.get(entryName);
            ConfigObject o = problems.attempt(path, () -> {
                checkName(entryName, path, v, declared.keySet());
                return object(v, path, "must be an object with at least actor = \"<class name>\"");
            });
            if (o != null) {
                declared.put(entryName, o);
                if (section.equals("pools")) {
                    poolNames.add(entryName);
                }
            }
        }
    }

    /** A process may not take the name of a pool's worker ({@code NAME-1}, {@code NAME-2}, ...). */
    private void checkWorkerNames(Map<String, ConfigObject> declared, Set<String> poolNames) {
        for (String pool : poolNames) {
            for (String other : declared.keySet()) {
                if (!poolNames.contains(other) && other.matches(Pattern.quote(pool) + "-\\d+")) {
                    problems.add(ROOT + ".processes." + other, new ConfigurationException(ROOT + ".processes." + other
                            + ": the name [" + other + "] is taken by the worker processes of pool [" + pool + "] (" + pool
                            + "-1, " + pool + "-2, ...)" + origin(declared.get(other)) + "; choose another name"));
                }
            }
        }
    }

    /** The entries without problems; the after list of every declared one goes to {@code after}. */
    private Map<String, Entry> readEntries(Map<String, ConfigObject> declared, Set<String> poolNames,
                                           Map<String, List<String>> after, ClassLoader actors) {
        Set<String> refTargets = new TreeSet<>(declared.keySet());
        refTargets.add(RUNNER);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigObject> d : declared.entrySet()) {
            String n = d.getKey();
            boolean pool = poolNames.contains(n);
            after.put(n, List.of());
            if (!pool && problems.has(ROOT + ".processes." + n)) {
                continue; // named like a pool's worker
            }
            Entry e = EntryReader.read(n, pool, d.getValue(), declared.keySet(), refTargets, actors, problems, after);
            if (e != null) {
                entries.put(n, e);
            }
        }
        return entries;
    }

    private static void checkName(String entryName, String path, ConfigValue v, Set<String> declared) {
        if (!Names.isValid(entryName)) {
            throw new ConfigurationException(path + ": the name [" + entryName + "] " + NAME_RULE + origin(v));
        }
        if (entryName.equals(RUNNER) || entryName.equals("node")) {
            throw new ConfigurationException(path + ": the name [" + entryName + "] is reserved (ref:" + RUNNER
                    + " is the runner, node is the node itself)" + origin(v) + "; choose another name");
        }
        if (declared.contains(entryName)) {
            throw new ConfigurationException(path + ": the name [" + entryName + "] is already used by "
                    + ROOT + ".processes." + entryName + origin(v) + "; processes and pools need distinct names");
        }
    }

    /** The start message; null if absent or invalid (then recorded). */
    private Start start(ConfigValue v, Set<String> names) {
        String path = ROOT + ".start";
        ConfigObject o = problems.attempt(path, () -> object(v, path, "must be an object { to = NAME, message = \"go\" }"));
        if (o == null) {
            return null;
        }
        checkKeys(o, path, START_KEYS, "start", problems);
        String to = problems.attempt(path + ".to", () -> {
            if (!o.containsKey("to")) {
                throw new ConfigurationException(path + ".to is missing" + origin(o) + "; name the process or pool that "
                        + "receives the start message, e.g. to = producer");
            }
            String t = string(o.get("to"), path + ".to", "must name a process or pool of this topology");
            if (!names.contains(t)) {
                throw invalid(o.get("to"), path + ".to", "must name a process or pool of this topology, one of "
                        + new TreeSet<>(names));
            }
            return t;
        });
        Object message = problems.attempt(path + ".message", () -> {
            if (!o.containsKey("message")) {
                throw new ConfigurationException(path + ".message is missing" + origin(o) + "; give the message to send, "
                        + "e.g. message = \"go\" (a string, number or boolean)");
            }
            ConfigValue m = o.get("message");
            if (m.valueType() != ConfigValueType.STRING && m.valueType() != ConfigValueType.NUMBER
                    && m.valueType() != ConfigValueType.BOOLEAN) {
                throw invalid(m, path + ".message", "must be a string, number or boolean");
            }
            return m.unwrapped();
        });
        return problems.hasUnder(path) ? null : new Start(to, message);
    }

    /** The done condition; null if invalid (then recorded). */
    private Done done(ConfigValue v) {
        String path = ROOT + ".done";
        ConfigObject o = problems.attempt(path, () -> object(v, path, "must be an object { when = message, message = \"done\" }, "
                + "{ when = duration, after = 10s }, { when = exit } or { when = ctrl-c }"));
        if (o == null) {
            return null;
        }
        checkKeys(o, path, DONE_KEYS, "done", problems);
        String whens = Arrays.stream(When.values()).map(When::configName).collect(Collectors.joining(", "));
        When when = !o.containsKey("when") ? When.CTRL_C : problems.attempt(path + ".when", () -> {
            String w = string(o.get("when"), path + ".when", "must be one of " + whens);
            return Arrays.stream(When.values()).filter(x -> x.configName().equals(w.trim().toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> invalid(o.get("when"), path + ".when", "must be one of " + whens));
        });
        if (when == null) {
            return null;
        }
        // message with another when, or after without duration, is ignored: so that --set can switch when alone;
        // but given to --set itself, such a key would silently do nothing
        unusedFromSet(o, "message", When.MESSAGE, when);
        unusedFromSet(o, "after", When.DURATION, when);
        Done done = problems.attempt(path, () -> switch (when) {
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
        });
        return problems.hasUnder(path) ? null : done;
    }

    /** A {@code --set} of {@code done.<key>}, which only {@code when = <usedWith>} reads, is a mistake under another when. */
    private void unusedFromSet(ConfigObject done, String key, When usedWith, When when) {
        ConfigValue v = done.get(key);
        if (when != usedWith && ConfigText.isFromSet(v)) {
            String path = ROOT + ".done." + key;
            problems.add(path, new ConfigurationException(path + " is read only with " + ROOT + ".done.when = "
                    + usedWith.configName() + ", but when is [" + when.configName() + "], was [" + ConfigText.show(v) + "]"
                    + origin(v) + "; add --set " + ROOT + ".done.when=" + usedWith.configName() + ", or leave this --set out"));
        }
    }
}
