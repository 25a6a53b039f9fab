package io.procactor.cluster.netns;

import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Placement;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.Terminated;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The remote-spawn commands of a {@link ClusterNodeMain} node (public API only), each answered by
 * {@link ParticipantIo} lines; times are wall-clock ms:
 * <pre>
 * pool N          a pool of N workers spread over the agents, all started: POOL host,host,...  (each worker's host)
 * map N           map where() over 0..N-1 on the pool           MAPPED address=count,...  or MAP-FAILED reason
 * workers         the pool's workers' hosts now                 WORKERS host,host,...
 * probe HOST      a process on agent HOST that never answers "hang", a local watcher of it, one pending ask:
 *                 PROBE-UP address; later PROBE-EXIT reason node-lost-cause time, ASK-FAILED causes time,
 *                 TERMINATED reason node-lost-cause time (the watcher's Terminated)
 * old-ref         asks the probe's old ref                      OLD-REF outcome
 * bench WHERE R A T   an actor placed on agent WHERE (or "local": a child on this host), R rounds after
 *                 one of warm-up of A asks one in flight and T tells:   ACTOR-ROUND where round p50-us p99-us tells/s, then BENCH-DONE
 * </pre>
 * {@code where} runs in the worker: it returns the address of the host's lab interface, so a result
 * says on which "host" it was computed.
 *
 * <p>Threading: commands run on the participant's main thread; callbacks report from the runtime's threads.
 */
final class PoolCommands {
    private static final Duration ASK = Duration.ofSeconds(60);

    private final ActorSystem system;
    private Pool pool;
    private ActorProcess probe;
    private ActorRef watcher;
    private int probes;

    PoolCommands(ActorSystem system) {
        this.system = system;
    }

    /** Registers what crosses processes: the class of {@link #where} (a function runs remotely only if its class is registered). */
    static ActorSystem.Builder register(ActorSystem.Builder builder) {
        return builder.register(PoolCommands.class);
    }

    /** Runs {@code command} if it is one of these; returns whether it was. */
    boolean handle(String command) throws Exception {
        String[] words = command.split(" ");
        switch (words[0]) {
            case "pool" -> {
                pool = system.pool(PoolOptions.size(Integer.parseInt(words[1])).name("spread").placement(Placement.spread()).retries(2));
                // every worker up, so that a map shares its work over all of them
                java.util.concurrent.CompletableFuture.allOf(pool.workers().stream().map(ActorProcess::ready)
                        .toArray(java.util.concurrent.CompletableFuture[]::new)).get(ASK.toSeconds(), TimeUnit.SECONDS);
                ParticipantIo.report("POOL " + hosts(pool.workers()));
            }
            case "workers" -> ParticipantIo.report("WORKERS " + hosts(pool.workers()));
            case "map" -> {
                try {
                    List<String> where = pool.map(PoolCommands::where, IntStream.range(0, Integer.parseInt(words[1])).boxed().toList(), ASK);
                    Map<String, Long> counts = where.stream().collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
                    ParticipantIo.report("MAPPED " + counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
                } catch (Exception e) {
                    ParticipantIo.report("MAP-FAILED " + oneLine(e));
                }
            }
            case "probe" -> probe(words[1]);
            case "bench" -> bench(words[1], Integer.parseInt(words[2]), Integer.parseInt(words[3]), Integer.parseInt(words[4]));
            case "old-ref" -> {
                try {
                    Object reply = probe.ref().ask("where", Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
                    ParticipantIo.report("OLD-REF answered " + reply);
                } catch (ExecutionException e) {
                    ParticipantIo.report("OLD-REF failed " + oneLine(e.getCause()));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void probe(String host) throws Exception {
        probes++;
        probe = system.spawnProcess(Props.create(Probe.class), "probe-" + probes, ProcessOptions.defaults().placement(Placement.host(host)));
        Object address = probe.ref().ask("where", ASK).get(ASK.toSeconds(), TimeUnit.SECONDS);
        watcher = system.actorOf(Props.create(Watcher.class), "watcher-" + probes); // on the node itself
        watcher.ask(probe.ref(), ASK).get(ASK.toSeconds(), TimeUnit.SECONDS);
        probe.onExit().thenAccept(status -> ParticipantIo.report("PROBE-EXIT " + status.reason() + " "
                + status.nodeLost().map(c -> c.getClass().getSimpleName()).orElse("-") + " " + System.currentTimeMillis()));
        probe.ref().ask("hang", Duration.ofMinutes(5)).whenComplete((reply, error) -> ParticipantIo.report(error == null
                ? "ASK-ANSWERED " + reply : "ASK-FAILED " + causes(error) + " " + System.currentTimeMillis()));
        ActorRef mine = watcher;
        Thread poll = new Thread(() -> pollWatcher(mine), "netns-watcher-poll");
        poll.setDaemon(true);
        poll.start();
        ParticipantIo.report("PROBE-UP " + address + " on " + probe.host());
    }

    private void bench(String where, int rounds, int asks, int tells) throws Exception {
        ProcessOptions options = where.equals("local") ? ProcessOptions.defaults() : ProcessOptions.defaults().placement(Placement.host(where));
        ActorProcess counter = system.spawnProcess(Props.create(Counter.class), "bench-" + where, options);
        ActorRef ref = counter.ref();
        ref.ask(0L, ASK).get(ASK.toSeconds(), TimeUnit.SECONDS);
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            long[] nanos = new long[asks];
            for (int i = 0; i < asks; i++) {
                Long ask = (long) i;
                long start = System.nanoTime();
                Object back = ref.ask(ask, ASK).get(ASK.toSeconds(), TimeUnit.SECONDS);
                nanos[i] = System.nanoTime() - start;
                if (!ask.equals(back)) {
                    throw new IllegalStateException("ask " + i + " came back as " + back);
                }
            }
            java.util.Arrays.sort(nanos);
            long start = System.nanoTime();
            Long tell = -1L;
            for (int i = 0; i < tells; i++) {
                ref.tell(tell);
            }
            Object counted = ref.ask("count", ASK).get(ASK.toSeconds(), TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            if (!Long.valueOf(tells).equals(counted)) {
                throw new IllegalStateException("the actor counted " + counted + " tells of " + tells);
            }
            if (round > 0) {
                ParticipantIo.report(String.format(java.util.Locale.ROOT, "ACTOR-ROUND %s %d %d %d %.0f", where, round,
                        nanos[asks / 2] / 1000, nanos[Math.min(asks - 1, (int) (asks * 0.99))] / 1000, tells * 1e9 / elapsed));
            }
        }
        counter.terminate();
        counter.join(ASK);
        ParticipantIo.report("BENCH-DONE " + where + " on " + counter.host());
    }

    /** Asks the watcher every 20 ms what it saw; reports the first Terminated. */
    private static void pollWatcher(ActorRef watcher) {
        while (true) {
            try {
                Object seen = watcher.ask("seen", ASK).get(ASK.toSeconds(), TimeUnit.SECONDS);
                if (!"".equals(seen)) {
                    ParticipantIo.report("TERMINATED " + seen + " " + System.currentTimeMillis());
                    return;
                }
                Thread.sleep(20); // polling the watcher actor: the node itself has no Terminated to wait on
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                ParticipantIo.report("WATCHER-FAILED " + oneLine(e));
                return;
            }
        }
    }

    /** Runs in a worker: the address of this host's lab interface. */
    static String where(int ignored) {
        return labAddress();
    }

    static String labAddress() {
        try {
            NetworkInterface lab = NetworkInterface.getByName(NetnsLab.HOST_INTERFACE);
            if (lab == null) {
                return "no-" + NetnsLab.HOST_INTERFACE;
            }
            return lab.inetAddresses().filter(a -> a instanceof Inet4Address).map(a -> a.getHostAddress()).findFirst().orElse("none");
        } catch (SocketException e) {
            return "unknown";
        }
    }

    private static String hosts(List<ActorProcess> processes) {
        return processes.stream().map(p -> p.host().split("@")[0]).sorted().collect(Collectors.joining(","));
    }

    /** The exception's class and its causes' ("ActorTerminatedException<-NodeLostException"), wrappers of futures left out. */
    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)) {
                b.append(b.length() == 0 ? "" : "<-").append(t.getClass().getSimpleName());
            }
        }
        return b.toString();
    }

    static String oneLine(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return b.toString().replace('\n', ' ');
    }

    /** Answers "where" with its host's lab address; never answers "hang". */
    public static final class Probe extends Actor {
        @Override
        protected void onReceive(Object message) {
            if ("where".equals(message)) {
                reply(labAddress());
            }
        }
    }

    /** Sends back a Long of 0 or more, counts negative ones (tells), answers "count" with the count since the last. */
    public static final class Counter extends Actor {
        private long tells;

        @Override
        protected void onReceive(Object message) {
            if (message instanceof Long n && n < 0) {
                tells++;
            } else if ("count".equals(message)) {
                reply(tells);
                tells = 0;
            } else {
                reply(message);
            }
        }
    }

    /** Watches the ref it is sent; answers "seen" with what its Terminated said ("" before). */
    public static final class Watcher extends Actor {
        private String seen = "";

        @Override
        protected void onReceive(Object message) {
            if (message instanceof ActorRef target) {
                context().watch(target);
                reply("watching");
            } else if (message instanceof Terminated t) {
                seen = t.status().reason() + " " + t.status().nodeLost().map(c -> c.getClass().getSimpleName()).orElse("-");
            } else if ("seen".equals(message)) {
                reply(seen);
            }
        }
    }
}
