package io.procactor.samples.clusterpool;

import io.procactor.ActorProcess;
import io.procactor.ActorSystem;
import io.procactor.Cluster;
import io.procactor.ClusterMember;
import io.procactor.Placement;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.samples.Sample;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A pool whose workers run on host agents ({@code bin/procactor agent}), and what it does when one
 * agent dies. The node runs ZooKeeper embedded; on one machine, three terminals, the same
 * {@code PROCACTOR_CLUSTER_SECRET} in each (docs/cluster.md):
 * <pre>
 * bin/procactor run config/topologies/cluster-pool.conf                                               # the node
 * bin/procactor agent --cluster zookeeper://127.0.0.1:2181/procactor --host one --bind 127.0.0.1:0   # agent one
 * bin/procactor agent --cluster zookeeper://127.0.0.1:2181/procactor --host two --bind 127.0.0.1:0   # agent two
 * </pre>
 * Once both agents have joined, the node starts a pool of four workers spread over them
 * ({@link Placement#spread()}) and maps {@code square} over 20 numbers every second, printing on
 * which host each result was computed. Stop an agent (Ctrl-C, or kill -9): the node sees that host
 * lost, the pool starts replacement workers on the other agent, and the next maps run there. The
 * sample ends after the first map that ran without the lost host.
 *
 * <p>Keys (in the topology file or {@code --set}): {@value #AGENTS_KEY} (default 2), {@value #MAPS_KEY}
 * (at most this many maps, default 600), {@value #WAIT_KEY} (how long to wait for the agents, default 10m).
 */
public final class ClusterPoolSample implements Sample {
    public static final String AGENTS_KEY = "samples.cluster-pool.agents";
    public static final String MAPS_KEY = "samples.cluster-pool.maps";
    public static final String WAIT_KEY = "samples.cluster-pool.wait";
    private static final int WORKERS = 4;
    private static final int NUMBERS = 20;

    /** One result: the square of {@code number}, computed in the worker JVM with process id {@code pid}. */
    public record Squared(int number, long square, long pid) {
    }

    @Override
    public String name() {
        return "cluster-pool";
    }

    @Override
    public String description() {
        return "a pool spread over host agents; kill an agent and watch the pool recover "
                + "(bin/procactor run config/topologies/cluster-pool.conf, docs/cluster.md)";
    }

    /** The result record, and this class: {@link #square} runs on the agents' hosts only if it is registered. */
    @Override
    public void register(ActorSystem.Builder builder) {
        builder.register(Squared.class, 1000).register(ClusterPoolSample.class);
    }

    /** Runs in a worker, on an agent's host. */
    static Squared square(int number) {
        return new Squared(number, (long) number * number, ProcessHandle.current().pid());
    }

    @Override
    public void run(ActorSystem system, PrintStream out) throws Exception {
        Cluster cluster = system.cluster();
        if (cluster.mode().equals("local")) {
            throw new IllegalStateException("the cluster-pool sample needs a cluster: run it as "
                    + "'bin/procactor run config/topologies/cluster-pool.conf' (procactor.cluster.mode = embedded), "
                    + "not as 'procactor sample cluster-pool'");
        }
        int wanted = intKey(system, AGENTS_KEY, 2);
        int maxMaps = intKey(system, MAPS_KEY, 600);
        Duration wait = system.config().hasPath(WAIT_KEY) ? system.config().getDuration(WAIT_KEY) : Duration.ofMinutes(10);
        String url = "zookeeper://" + system.config().getString("procactor.cluster.embedded.bind") + ":"
                + system.config().getInt("procactor.cluster.embedded.port") + "/procactor";
        out.println("node " + cluster.self() + " runs ZooKeeper; waiting for " + wanted + " agents. Start each with:");
        out.println("  bin/procactor agent --cluster " + url + " --host NAME --bind 127.0.0.1:0");
        out.flush();
        Set<ClusterMember> agents = awaitAgents(cluster, wanted, wait, out);

        try (Pool pool = system.pool(PoolOptions.size(WORKERS).name("squares").placement(Placement.spread()).retries(2))) {
            Map<Long, String> hostOfPid = new HashMap<>();
            out.println("pool of " + WORKERS + " workers: " + byHost(pool.workers(), hostOfPid));
            String lost = null;
            List<Integer> numbers = IntStream.range(0, NUMBERS).boxed().toList();
            for (int round = 1; round <= maxMaps; round++) {
                Set<ClusterMember> nowAgents = agentsOf(cluster);
                for (ClusterMember gone : agents) {
                    if (!nowAgents.contains(gone)) {
                        lost = gone.host();
                        out.println("agent " + gone + " lost: the pool replaces its workers on the other agents");
                    }
                }
                agents = nowAgents;
                boolean afterLoss = lost != null; // this map starts after the loss was seen
                List<Squared> results = pool.map(ClusterPoolSample::square, numbers, Duration.ofMinutes(2));
                byHost(pool.workers(), hostOfPid); // learn the pids of replacement workers
                Map<String, Long> perHost = results.stream().collect(Collectors.groupingBy(
                        r -> hostOfPid.getOrDefault(r.pid(), "pid " + r.pid()), TreeMap::new, Collectors.counting()));
                out.println("map " + round + ": " + results.size() + " squares, by host: " + format(perHost));
                out.flush();
                if (afterLoss && !perHost.containsKey(lost)) {
                    out.println("the pool recovered: map " + round + " ran without " + lost);
                    return;
                }
                Thread.sleep(1000); // a map a second: pacing for a human watching, not synchronisation
            }
        }
    }

    private static Set<ClusterMember> awaitAgents(Cluster cluster, int wanted, Duration wait, PrintStream out) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Set<ClusterMember> seen = new TreeSet<>(java.util.Comparator.comparing(ClusterMember::toString));
        while (true) {
            Set<ClusterMember> now = agentsOf(cluster);
            for (ClusterMember m : now) {
                if (seen.add(m)) {
                    out.println("agent " + m.host() + " joined (" + m + ", " + m.cores() + " cores)");
                    out.flush();
                }
            }
            if (now.size() >= wanted) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(now.size() + " of " + wanted + " agents joined within " + wait.toSeconds()
                        + " s; start them with bin/procactor agent (see above), or lower " + AGENTS_KEY);
            }
            Thread.sleep(100); // polling the public membership view
        }
    }

    private static Set<ClusterMember> agentsOf(Cluster cluster) {
        return cluster.members().stream().filter(ClusterMember::isAgent).collect(Collectors.toSet());
    }

    /** "one 2, two 2": how many of {@code workers} run on each host; records their pids' hosts. */
    private static String byHost(List<ActorProcess> workers, Map<Long, String> hostOfPid) {
        Map<String, Long> counts = new TreeMap<>();
        for (ActorProcess w : workers) {
            String host = w.host().split("@")[0];
            counts.merge(host, 1L, Long::sum);
            if (w.pid() > 0) {
                hostOfPid.put(w.pid(), host);
            }
        }
        return format(counts);
    }

    private static String format(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static int intKey(ActorSystem system, String key, int fallback) {
        return system.config().hasPath(key) ? system.config().getInt(key) : fallback;
    }
}
