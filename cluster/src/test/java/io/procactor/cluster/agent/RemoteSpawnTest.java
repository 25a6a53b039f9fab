package io.procactor.cluster.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.Actor;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ActorTerminatedException;
import io.procactor.ExitStatus;
import io.procactor.NodeLostException;
import io.procactor.Placement;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.RestartPolicy;
import io.procactor.Terminated;
import io.procactor.cluster.ClusterSecret;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Remote spawn with real JVMs on 127.0.0.1: a node in embedded mode and two host agents (JVMs of
 * {@link AgentTestMain}, labels zone=a and zone=b), mutual TLS on every TCP connection. Processes
 * placed by label and spread, exact exit statuses from another host, a pool over both agents, and
 * an agent's SIGKILL: NodeLost for its processes and pending asks, restarts elsewhere. The last
 * test kills an agent, so the order is fixed.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteSpawnTest {
    private static final Duration SESSION = Duration.ofSeconds(5);
    private static ActorSystem node;
    private static AgentJvm agentA;
    private static AgentJvm agentB;
    private static String secret;
    private static AgentPki pki;

    /**
     * Replies with the pid of its JVM's parent (the agent's), exits with 3 on "exit3", never answers
     * "hang"; given a ref, asks that actor "where" and replies its answer.
     */
    public static final class Probe extends Actor {
        @Override
        protected void onReceive(Object message) {
            if (message instanceof ActorRef other) {
                ActorRef replyTo = sender();
                other.ask("where", Duration.ofSeconds(60)).whenComplete((v, e) -> replyTo.tell(e == null ? v : e.toString()));
            } else if ("exit3".equals(message)) {
                System.exit(3);
            } else if (!"hang".equals(message)) {
                reply(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
            }
        }
    }

    /** On the node: watches the ref it is given and records the Terminated it gets. */
    public static final class Watcher extends Actor {
        static final LinkedBlockingQueue<Terminated> TERMINATED = new LinkedBlockingQueue<>();

        @Override
        protected void onReceive(Object message) {
            if (message instanceof ActorRef ref) {
                context().watch(ref);
                reply("watching");
            } else if (message instanceof Terminated t) {
                TERMINATED.add(t);
            }
        }
    }

    @BeforeAll
    static void cluster() throws Exception {
        java.nio.file.Files.createDirectories(Path.of("target"));
        pki = AgentPki.make(java.nio.file.Files.createTempDirectory(Path.of("target"), "agent-pki"));
        secret = ClusterSecret.generate();
        int zk;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            zk = s.getLocalPort();
        }
        node = ActorSystem.create("remote", ConfigFactory.parseString("""
                procactor.cluster { mode = embedded, secret = "%s", session-timeout = 5s, host = the-node,
                  bind = "127.0.0.1:0", embedded { bind = "127.0.0.1", port = %d } }
                procactor.process.start-timeout = 60s
                """.formatted(secret, zk) + pki.hocon()).withFallback(ConfigFactory.load()));
        agentA = AgentJvm.start("host-a", agentConfig("host-a", "a", zk));
        agentB = AgentJvm.start("host-b", agentConfig("host-b", "b", zk));
        await().atMost(Timeouts.seconds(10)).until(() -> node.cluster().members().size() == 3);
    }

    private static String agentConfig(String host, String zone, int zk) {
        return """
                procactor.cluster { mode = "zookeeper://127.0.0.1:%d/procactor", role = agent, secret = "%s",
                  session-timeout = 5s, host = %s, labels { zone = %s }, bind = "127.0.0.1:0" }
                """.formatted(zk, secret, host, zone) + pki.hocon();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        for (AgentJvm a : new AgentJvm[] {agentA, agentB}) {
            if (a != null) {
                a.close();
            }
        }
    }

    private static long ask(ActorRef ref, Object message) throws Exception {
        return (Long) ref.ask(message, Timeouts.seconds(60)).get(60, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void aProcessPlacedByLabelRunsOnThatAgentAndAnswers() throws Exception {
        ActorProcess p = node.spawnProcess(Props.create(Probe.class), "on-b",
                ProcessOptions.defaults().placement(Placement.label("zone", "b")));
        try {
            assertThat(ask(p.ref(), "where")).isEqualTo(agentB.process.pid());
            assertThat(p.host()).startsWith(agentB.host + "@");
            ActorProcess onA = node.spawnProcess(Props.create(Probe.class), "on-a",
                    ProcessOptions.defaults().placement(Placement.host("host-a")));
            assertThat(ask(onA.ref(), "where")).isEqualTo(agentA.process.pid());
            ActorProcess here = node.spawnProcess(Props.create(Probe.class), "here");
            assertThat(here.host()).isEqualTo("local");
            // refs across hosts: agent to agent, node's host to agent and back, all through the node
            assertThat(p.ref().ask(onA.ref(), Timeouts.seconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo(agentA.process.pid());
            assertThat(here.ref().ask(p.ref(), Timeouts.seconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo(agentB.process.pid());
            assertThat(p.ref().ask(here.ref(), Timeouts.seconds(60)).get(60, TimeUnit.SECONDS)).isEqualTo(ProcessHandle.current().pid());
        } finally {
            node.processes().forEach(ActorProcess::terminate);
            for (ActorProcess each : node.processes()) {
                each.join(Timeouts.seconds(30));
            }
        }
    }

    @Test
    @Order(2)
    void aRemoteExitGivesTheExactStatusAndAPlacementNobodyFitsSaysHowToFixIt() throws Exception {
        ActorProcess p = node.spawnProcess(Props.create(Probe.class), "exits",
                ProcessOptions.defaults().placement(Placement.label("zone", "a")));
        p.ref().tell("exit3");
        assertThat(p.join(Timeouts.seconds(60))).isTrue();
        ExitStatus s = p.exitStatus().orElseThrow();
        assertThat(s.code()).isEqualTo(3);
        assertThat(s.reason()).isEqualTo(ExitStatus.Reason.CRASHED);

        assertThatThrownBy(() -> node.spawnProcess(Props.create(Probe.class), "nowhere",
                ProcessOptions.defaults().placement(Placement.label("zone", "c"))))
                .hasMessageContaining("label(zone=c)").hasMessageContaining(agentA.host + "@")
                .hasMessageContaining("bin/procactor agent --cluster zookeeper://").hasMessageContaining("--label zone=c");
    }

    @Test
    @Order(3)
    void aSpreadPoolHasWorkersOnBothAgents() throws Exception {
        try (Pool pool = node.pool(Props.create(Probe.class), PoolOptions.size(2).name("spread").placement(Placement.spread()))) {
            List<Long> parents = pool.map(IntStream.range(0, 40).boxed().collect(Collectors.toList()), Timeouts.seconds(90));
            assertThat(parents).hasSize(40);
            assertThat(pool.workers().stream().map(ActorProcess::host).collect(Collectors.toList())).allMatch(h -> h.contains("@"))
                    .map(h -> h.substring(0, h.indexOf('@'))).containsOnly("host-a", "host-b").contains("host-a", "host-b");
            assertThat(Set.copyOf(parents)).isSubsetOf(agentA.process.pid(), agentB.process.pid());
        }
    }

    @Test
    @Order(4)
    void aNodeWithAnotherSecretCannotUseAnAgent() throws Exception {
        assertThat(IntruderCheck.refusal(agentA.host, node, pki, ClusterSecret.generate())).contains("wrong");
    }

    @Test
    @Order(5)
    void anAgentKillsTheProcessesOfANodeWhoseControlConnectionCloses() throws Exception {
        long pid;
        try (ControlClient byHand = ControlClient.connect(agentA.host, node, pki, secret)) {
            byHand.spawnUnadmitted(1, node);
            Object answer = byHand.received.poll(30, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOf(io.procactor.internal.wire.AgentMessages.Spawned.class);
            pid = ((io.procactor.internal.wire.AgentMessages.Spawned) answer).pid();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        }
        await().atMost(Timeouts.seconds(15)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    @Order(6)
    void aKilledAgentsProcessesEndWithNodeLostAndRestartElsewhere() throws Exception {
        ActorProcess restarting = node.spawnProcess(Props.create(Probe.class), "restarting",
                ProcessOptions.defaults().placement(Placement.spread()).restart(RestartPolicy.permanent()));
        long firstParent = ask(restarting.ref(), "where");
        AgentJvm victim = firstParent == agentA.process.pid() ? agentA : agentB;
        AgentJvm survivor = victim == agentA ? agentB : agentA;
        ActorProcess pinned = node.spawnProcess(Props.create(Probe.class), "pinned",
                ProcessOptions.defaults().placement(Placement.host(victim.host)));
        ask(pinned.ref(), "where");
        ActorRef watcher = node.actorOf(Props.create(Watcher.class), "watcher");
        assertThat(watcher.ask(pinned.ref(), Timeouts.seconds(10)).get(10, TimeUnit.SECONDS)).isEqualTo("watching");
        CompletableFuture<Object> pending = pinned.ref().ask("hang", Timeouts.seconds(120));

        long killedAt = System.nanoTime();
        victim.kill();
        Terminated t = Watcher.TERMINATED.poll(Timeouts.scaled(SESSION.plusSeconds(8)).toMillis(), TimeUnit.MILLISECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(t).as("Terminated of the pinned process").isNotNull();
        assertThat(t.status().reason()).isEqualTo(ExitStatus.Reason.NODE_LOST);
        assertThat(t.status().nodeLost()).get().extracting(NodeLostException::host).isEqualTo(victim.host);
        System.out.println("RESULT agent-killed-to-terminated-ms " + tookMs + " (session timeout " + SESSION.toMillis() + " ms)");
        assertThat(tookMs).isLessThan(Timeouts.scaled(SESSION.plusMillis(2500)).toMillis());

        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ActorTerminatedException.class)
                .cause().isInstanceOf(NodeLostException.class).hasMessageContaining(victim.host + "@");
        assertThat(pinned.exitStatus().orElseThrow().reason()).isEqualTo(ExitStatus.Reason.NODE_LOST);

        await().atMost(Timeouts.seconds(60)).until(() -> restarting.restarts() >= 1);
        assertThat(ask(restarting.ref(), "where")).isEqualTo(survivor.process.pid());
        assertThat(restarting.host()).startsWith(survivor.host + "@");
        restarting.terminate();
        assertThat(restarting.join(Timeouts.seconds(30))).isTrue();
    }
}
