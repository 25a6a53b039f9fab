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
import io.procactor.internal.core.Names;
import io.procactor.internal.topology.TopologySpec.Done;
import io.procactor.internal.topology.TopologySpec.Entry;
import io.procactor.internal.topology.TopologySpec.Start;
import io.procactor.internal.topology.TopologySpec.When;
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
 * condition. Each rule broken fails with a {@link ConfigurationException} naming the full key path,
 * the value, where it was set and the fix. Stateless; thread-safe.
 */
final class TopologyReader {
    private static final Set<String> TOP_KEYS = Set.of("name", "sample", "processes", "pools", "start", "done");
    private static final Set<String> START_KEYS = Set.of("to", "message");
    private static final Set<String> DONE_KEYS = Set.of("when", "message", "after");
    private static final String NAME_RULE = "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private TopologyReader() {
    }

    /**
     * Reads {@code procactor.topology} of {@code config} (a loaded, resolved configuration).
     *
     * @throws ConfigurationException naming the first problem: key path, value, origin and fix
     */
    static TopologySpec parse(Config config, ClassLoader loader) {
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
                String path = ConfigText.join(sectionPath, entryName);
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
                if (!poolNames.contains(other) && other.matches(Pattern.quote(pool) + "-\\d+")) {
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
            entries.put(d.getKey(), EntryReader.read(d.getKey(), pool, d.getValue(), declared.keySet(), refTargets, loader));
        }
        Map<String, List<String>> after = new LinkedHashMap<>();
        entries.forEach((n, e) -> after.put(n, e.after()));
        List<String> order = StartOrder.of(after, n -> origin(declared.get(n).get("after")));
        Start start = root.containsKey("start") ? start(root.get("start"), declared.keySet()) : null;
        Done done = root.containsKey("done") ? done(root.get("done")) : new Done(When.CTRL_C, null, null);
        if (done.when() == When.EXIT && entries.values().stream().allMatch(Entry::pool)) {
            throw new ConfigurationException(ROOT + ".done.when = exit needs at least one process, but this topology has only "
                    + "pools, which never exit by themselves" + origin(raw(config, ROOT + ".done.when"))
                    + "; use when = message, duration or ctrl-c");
        }
        return new TopologySpec(name, null, entries, order, start, done);
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
}
