package io.procactor.internal.topology;

import io.procactor.ConfigurationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The order in which a topology's processes and pools start: each after those in its
 * {@code after} list. Kahn's algorithm, in the map's order (processes before pools, by name) among
 * those ready together; a cycle fails with its path. Stateless; thread-safe.
 */
final class StartOrder {
    private StartOrder() {
    }

    /**
     * The start order of the names of {@code after} (name to the names it starts after, each one
     * a key of the map).
     *
     * @param origin where the after list of a name was set, e.g. " (set at file: 3)", for the message
     * @throws ConfigurationException if some names wait for each other
     */
    static List<String> of(Map<String, List<String>> after, Function<String, String> origin) {
        for (String n : after.keySet()) {
            List<String> cycle = cycleFrom(n, after, new ArrayList<>(), new HashSet<>());
            if (cycle != null) {
                throw new ConfigurationException(TopologySpec.ROOT + " has a cycle in its startup order: "
                        + String.join(" -> ", cycle) + origin.apply(cycle.get(0)) + "; each process or pool starts after those "
                        + "in its after list, so they cannot wait for each other: remove one of these after entries (a "
                        + "\"ref:NAME\" argument needs no after entry unless the actor sends to NAME as soon as it starts)");
            }
        }
        List<String> order = new ArrayList<>();
        Set<String> started = new LinkedHashSet<>();
        while (order.size() < after.size()) {
            for (Map.Entry<String, List<String>> e : after.entrySet()) {
                if (!started.contains(e.getKey()) && started.containsAll(e.getValue())) {
                    started.add(e.getKey());
                    order.add(e.getKey());
                    break;
                }
            }
        }
        return order;
    }

    /** The first cycle reachable from {@code n} (depth first, in after-list order), as a path back to its start; or null. */
    private static List<String> cycleFrom(String n, Map<String, List<String>> after, List<String> path, Set<String> finished) {
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
        for (String dep : after.get(n)) {
            List<String> c = cycleFrom(dep, after, path, finished);
            if (c != null) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        finished.add(n);
        return null;
    }
}
