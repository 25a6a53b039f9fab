package io.procactor.cluster.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.cluster.ClusterSecret;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import io.procactor.transport.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The numbers between "hosts" (network namespaces, {@link NetnsLab}), printed as {@code RESULT}
 * lines, recorded in docs/benchmarks.md ("Between hosts"):
 * <ul>
 * <li>ask round trip (one in flight, p50 and p99) and tell throughput with procactor's transport
 *     (real Kryo framing and handshake): host b to host a over mutual TLS, the same over plain TCP,
 *     and over the Unix socket between two JVMs on host a ({@link TransportBenchMain} against
 *     {@link TlsPingMain});</li>
 * <li>the time from a host's death to the others seeing it lost at the configured session timeout:
 *     node b (a {@link ClusterNodeMain}) is cut off from node a (embedded ZooKeeper), by a cable pull
 *     and by a partition in turn, a's {@code LOST} time minus the cut; healed, b comes back as a
 *     new incarnation and the next round starts.</li>
 * </ul>
 * The benchmark is not part of the suite (tag {@code benchmark}, and it runs only with
 * {@code -Dprocactor.benchmark=true}):
 * <pre>
 * ./mvnw -B -o -pl runtime,cluster -am test -Dtest='BetweenHostsBenchmarkTest#betweenHosts' \
 *     -Dprocactor.benchmark=true -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.javadoc.skip -Dinvoker.skip
 * </pre>
 * with {@code -Dprocactor.benchmark.rounds=N} (default 5) and {@code -Dprocactor.benchmark.session-ms=M}
 * (default 3000). {@link #oneRoundSmoke} runs the same code with one small round in the suite, so it
 * never rots; its figures mean little.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class BetweenHostsBenchmarkTest {
    private static final int PORT = 7000;
    private static final int ZK_PORT = 2181;
    private static final Duration THROUGHPUT_SESSION = Duration.ofSeconds(10);

    @BeforeAll
    static void needsNamespaces() {
        NetnsSupport.assumeAvailable();
    }

    @AfterAll
    static void leavesNoNamespace() {
        NetnsSupport.assertNoneLeftByThisJvm();
    }

    @Test
    @Tag("benchmark")
    @EnabledIfSystemProperty(named = "procactor.benchmark", matches = "true")
    void betweenHosts() throws Exception {
        int rounds = Integer.getInteger("procactor.benchmark.rounds", 5);
        Duration session = Duration.ofMillis(Long.getLong("procactor.benchmark.session-ms", 3000));
        measure(rounds, 5_000, 200_000, rounds, rounds, session);
    }

    @Test
    void oneRoundSmoke() throws Exception {
        measure(1, 200, 2_000, 1, 0, Timeouts.scaled(Duration.ofSeconds(3)));
    }

    private static void measure(int rounds, int asks, int tells, int lostRounds, int actorLostRounds, Duration session)
            throws Exception {
        System.out.printf("RESULT between-hosts machine: %d cores, load %s, JDK %s, %s%n", Runtime.getRuntime().availableProcessors(),
                java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0], System.getProperty("java.version"),
                java.time.Instant.now());
        try (NetnsLab lab = NetnsLab.create(Path.of("target", "netns-logs", "bench"), "a", "b")) {
            transport(lab, rounds, asks, tells);
            nodeLost(lab, lostRounds, session);
            actors(lab, rounds, asks, tells, actorLostRounds, session);
            lab.close();
            assertThat(lab.liveNamespaces()).isEmpty();
            NetnsSupport.assertNoSegmentsLeftBy(lab);
        }
    }

    // ---- transport: asks and tells over TLS, TCP and the Unix socket ----

    private static void transport(NetnsLab lab, int rounds, int asks, int tells) throws Exception {
        NetnsPki pki = NetnsPki.make(Path.of("target", "netns-pki", "bench-" + ProcessHandle.current().pid()));
        String token = Credentials.random().toHex();
        NetnsHost a = lab.host("a");
        Participant server = lab.start(a, "bench-server", TlsPingMain.class, Participant.MEASURED_JVM, List.of("serve", a.address(), String.valueOf(PORT),
                abs(pki.node().certificate()), abs(pki.node().privateKey()), abs(pki.clusterCa()), token));
        String listening = server.await("LISTENING", Timeouts.seconds(60));
        String unixPath = listening.substring(listening.indexOf(" unix ") + " unix ".length()).strip();
        for (String[] run : List.of(new String[] {"tls", "b", a.address() + ":" + PORT}, new String[] {"tcp", "b", a.address() + ":" + (PORT + 1)},
                new String[] {"unix", "a", unixPath})) {
            Participant client = lab.start(lab.host(run[1]), "bench-" + run[0], TransportBenchMain.class, Participant.MEASURED_JVM, List.of(run[0], run[2],
                    abs(pki.node().certificate()), abs(pki.node().privateKey()), abs(pki.clusterCa()), token,
                    String.valueOf(rounds), String.valueOf(asks), String.valueOf(tells)));
            client.await(run[0] + " DONE", l -> l.equals("DONE") || l.startsWith("FAILED"), Timeouts.seconds(60L + rounds * 60L));
            assertThat(client.lines()).as(run[0]).noneMatch(l -> l.startsWith("FAILED"));
            List<long[]> perRound = client.lines().stream().filter(l -> l.startsWith("ROUND ")).map(l -> {
                String[] f = l.split(" ");
                return new long[] {Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[7])};
            }).toList();
            assertThat(perRound).hasSize(rounds);
            String where = run[0].equals("unix") ? "Unix socket, two JVMs on host a" : run[0].toUpperCase(Locale.ROOT)
                    + " from host b to host a";
            System.out.printf("RESULT between-hosts ask-round-trip %s: p50 %s us, p99 %s us (%d asks one in flight, %d rounds)%n",
                    where, spread(perRound, 0, Long::toString), spread(perRound, 1, Long::toString), asks, rounds);
            System.out.printf("RESULT between-hosts tell-throughput %s: %s tells/s (%d tells of a Long, %d rounds)%n",
                    where, spread(perRound, 2, BetweenHostsBenchmarkTest::thousands), tells, rounds);
            assertThat(client.awaitExit(Timeouts.seconds(30))).isZero();
        }
        server.send("quit");
        assertThat(server.awaitExit(Timeouts.seconds(30))).isZero();
    }

    // ---- node lost: cable pull and partition at a session timeout ----

    private static void nodeLost(NetnsLab lab, int rounds, Duration session) {
        String secret = ClusterSecret.generate();
        NetnsHost a = lab.host("a");
        NetnsHost b = lab.host("b");
        Participant nodeA = lab.start(a, "lost-node-a", ClusterNodeMain.class, List.of(node("a", secret, session,
                "mode = embedded, embedded { bind = \"" + a.address() + "\", port = " + ZK_PORT + " }")));
        nodeA.await("READY a@", Timeouts.seconds(60));
        Participant nodeB = lab.start(b, "lost-node-b", ClusterNodeMain.class, List.of(node("b", secret, session,
                "mode = \"zookeeper://" + a.address() + ":" + ZK_PORT + "/procactor\"")));
        String incarnation = nodeB.await("READY b@", Timeouts.seconds(60)).substring("READY ".length());
        for (String cut : List.of("cable-pull", "partition")) {
            List<long[]> lost = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                String seen = incarnation;
                nodeA.await("MEMBERS with " + seen, l -> l.startsWith("MEMBERS ") && l.contains(seen), Timeouts.seconds(30));
                long cutAt = System.currentTimeMillis();
                if (cut.equals("cable-pull")) {
                    lab.unplug(b);
                } else {
                    lab.partition(b, a);
                }
                long lostAt = timeOf(nodeA.await("LOST " + seen, Timeouts.scaled(session.multipliedBy(4))));
                lost.add(new long[] {lostAt - cutAt});
                if (cut.equals("cable-pull")) {
                    lab.plug(b);
                } else {
                    lab.heal(b);
                }
                incarnation = nodeB.await("NEW-INCARNATION " + seen, Timeouts.scaled(session.multipliedBy(6))).split(" ")[2];
                assertThat(incarnation).isNotEqualTo(seen);
            }
            System.out.printf("RESULT between-hosts node-lost-after-%s: %s ms at session-timeout %d ms (%d rounds%s)%n",
                    cut, spread(lost, 0, Long::toString), session.toMillis(), rounds,
                    cut.equals("partition") ? "; " + lab.partitionMethod() : "");
            lost.forEach(l -> assertThat(l[0]).isBetween(session.toMillis() / 2, Timeouts.scaled(session.plusSeconds(2)).toMillis()));
        }
        for (Participant p : List.of(nodeB, nodeA)) {
            p.send("quit");
        }
    }

    // ---- actors: a node in a asks an actor in a child JVM that the agent in b started ----

    private static void actors(NetnsLab lab, int rounds, int asks, int tells, int lostRounds, Duration session) throws Exception {
        NetnsPki pki = NetnsPki.make(Path.of("target", "netns-pki", "bench-actors-" + ProcessHandle.current().pid()));
        // a long session while messages flood: on a loaded machine a 3 s one expired in the middle of it
        Participant[] pair = pair(lab, pki, "actors", THROUGHPUT_SESSION, ZK_PORT + 1, 7100);
        Participant node = pair[0];
        for (String where : List.of("b", "local")) {
            node.send("bench " + where + " " + rounds + " " + asks + " " + tells);
            String done = node.await("BENCH-DONE " + where, l -> l.startsWith("BENCH-DONE " + where) || l.startsWith("COMMAND-FAILED"),
                    Timeouts.seconds(120L + rounds * 60L));
            assertThat(done).startsWith("BENCH-DONE");
            List<long[]> perRound = node.lines().stream().filter(l -> l.startsWith("ACTOR-ROUND " + where + " ")).map(l -> {
                String[] f = l.split(" ");
                return new long[] {Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])};
            }).toList();
            assertThat(perRound).hasSize(rounds);
            String what = where.equals("local") ? "actor in a child JVM on host a (Unix socket)"
                    : "actor in a child JVM the agent on host b started (TLS)";
            System.out.printf("RESULT between-hosts actor-ask-round-trip node on host a to %s: p50 %s us, p99 %s us (%d asks one in flight, "
                    + "%d rounds)%n", what, spread(perRound, 0, Long::toString), spread(perRound, 1, Long::toString), asks, rounds);
            System.out.printf("RESULT between-hosts actor-tell-throughput node on host a to %s: %s tells/s (%d tells of a Long, %d rounds)%n",
                    what, spread(perRound, 2, BetweenHostsBenchmarkTest::thousands), tells, rounds);
        }
        quit(pair);
        if (lostRounds > 0) {
            actorNodeLost(lab, pki, lostRounds, session);
        }
    }

    /** A node on host a with the embedded ZooKeeper and a host agent on host b, TLS between them, joined. */
    private static Participant[] pair(NetnsLab lab, NetnsPki pki, String name, Duration session, int zkPort, int clusterPort) {
        String secret = ClusterSecret.generate();
        NetnsHost a = lab.host("a");
        NetnsHost b = lab.host("b");
        Participant node = lab.start(a, name + "-node-a", ClusterNodeMain.class, Participant.MEASURED_JVM, List.of(tlsNode(a, secret,
                session, pki, clusterPort, "mode = embedded, embedded { bind = \"" + a.address() + "\", port = " + zkPort + " }")));
        node.await("READY a@", Timeouts.seconds(60));
        Participant agent = lab.start(b, name + "-agent-b", ClusterNodeMain.class, Participant.MEASURED_JVM, List.of(tlsNode(b, secret,
                session, pki, clusterPort, "mode = \"zookeeper://" + a.address() + ":" + zkPort + "/procactor\", role = agent")));
        String incarnation = agent.await("READY b@", Timeouts.seconds(60)).substring("READY ".length());
        node.await("MEMBERS with the agent", l -> l.startsWith("MEMBERS ") && l.contains(incarnation), Timeouts.seconds(30));
        return new Participant[] {node, agent};
    }

    private static void quit(Participant[] pair) throws InterruptedException {
        for (Participant p : List.of(pair[1], pair[0])) {
            p.send("quit");
            p.awaitExit(Timeouts.seconds(30));
        }
    }

    /** Rounds of: a process on b, watched from a, one ask pending; b partitioned from a; when each learns it is lost. */
    private static void actorNodeLost(NetnsLab lab, NetnsPki pki, int rounds, Duration session) throws InterruptedException {
        Participant[] pair = pair(lab, pki, "actors-lost", session, ZK_PORT + 2, 7200);
        Participant node = pair[0];
        Participant agent = pair[1];
        String seen = agent.await("READY b@", Timeouts.seconds(1)).substring("READY ".length());
        List<long[]> lost = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            String current = seen;
            node.await("MEMBERS with " + current, l -> l.startsWith("MEMBERS ") && l.contains(current), Timeouts.seconds(30));
            node.send("probe b");
            nth(node, "PROBE-UP", round, Timeouts.seconds(60));
            long cutAt = System.currentTimeMillis();
            lab.partition(lab.host("b"), lab.host("a"));
            long exit = timeOf(nth(node, "PROBE-EXIT NODE_LOST", round, Timeouts.scaled(session.multipliedBy(4))));
            long terminated = timeOf(nth(node, "TERMINATED NODE_LOST", round, Timeouts.seconds(10)));
            long askFailed = timeOf(nth(node, "ASK-FAILED", round, Timeouts.seconds(10)));
            lost.add(new long[] {exit - cutAt, terminated - cutAt, askFailed - cutAt});
            lab.heal(lab.host("b"));
            seen = agent.await("NEW-INCARNATION " + current, Timeouts.scaled(session.multipliedBy(6))).split(" ")[2];
        }
        System.out.printf("RESULT between-hosts actor-node-lost-after-partition: process exit NODE_LOST %s ms, watcher's Terminated %s ms, "
                + "pending ask failed %s ms after the cut, session-timeout %d ms (%d rounds)%n", spread(lost, 0, Long::toString),
                spread(lost, 1, Long::toString), spread(lost, 2, Long::toString), session.toMillis(), rounds);
        quit(pair);
    }

    /** The {@code n}th (1-based) line starting with {@code prefix}. */
    private static String nth(Participant p, String prefix, int n, Duration timeout) {
        p.await(n + " lines " + prefix, l -> p.lines().stream().filter(x -> x.startsWith(prefix)).count() >= n, timeout);
        return p.lines().stream().filter(x -> x.startsWith(prefix)).skip(n - 1).findFirst().orElseThrow();
    }

    private static String tlsNode(NetnsHost host, String secret, Duration session, NetnsPki pki, int port, String mode) {
        return node(host.name(), secret, session, "bind = \"" + host.address() + ":" + port + "\", " + mode) + "\n"
                + "procactor.transport.tls { enabled = on, certificate = \"" + abs(pki.node().certificate()) + "\", private-key = \""
                + abs(pki.node().privateKey()) + "\", trust = \"" + abs(pki.clusterCa()) + "\" }";
    }

    /** "median (min to max)" of column {@code i}, or the value alone for one round. */
    private static String spread(List<long[]> rows, int i, LongFunction<String> format) {
        long[] v = rows.stream().mapToLong(r -> r[i]).sorted().toArray();
        String median = format.apply(v[v.length / 2]);
        return v.length == 1 ? median : median + " (" + format.apply(v[0]) + " to " + format.apply(v[v.length - 1]) + ")";
    }

    private static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String node(String host, String secret, Duration session, String mode) {
        // the membership rounds need no TLS (no process crosses hosts): plain TCP on the lab's private bridge
        return "procactor.cluster { host = " + host + ", secret = \"" + secret + "\", session-timeout = "
                + session.toMillis() + "ms, insecure-plain-tcp = true, " + mode + " }";
    }

    private static long timeOf(String line) {
        String[] parts = line.split(" ");
        return Long.parseLong(parts[parts.length - 1]);
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }
}
