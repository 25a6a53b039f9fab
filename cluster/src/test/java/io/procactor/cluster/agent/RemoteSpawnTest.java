package io.procactor.cluster.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.ExitStatus;
import io.procactor.Placement;
import io.procactor.Pool;
import io.procactor.PoolOptions;
import io.procactor.ProcessOptions;
import io.procactor.Props;
import io.procactor.cluster.ClusterSecret;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.util.List;
import java.util.Set;
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
 * Remote spawn with real JVMs on 127.0.0.1 ({@link AgentCluster}: a node in embedded mode, two
 * host agents, mutual TLS): processes placed by host and label, refs across hosts, exact exit
 * statuses from another host, a pool spread over both agents, a node of another cluster refused,
 * an agent killing what it started for a node that went away. {@link AgentLossTest} kills an agent.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteSpawnTest {
    private static AgentCluster cluster;
    private static ActorSystem node;
    private static AgentJvm agentA;
    private static AgentJvm agentB;

    @BeforeAll
    static void start() throws Exception {
        cluster = AgentCluster.start("remote");
        node = cluster.node;
        agentA = cluster.agentA;
        agentB = cluster.agentB;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long ask(ActorRef ref, Object message) throws Exception {
        return (Long) ref.ask(message, Timeouts.seconds(60)).get(60, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void aProcessPlacedByLabelRunsOnThatAgentAndAnswers() throws Exception {
        ActorProcess p = node.spawnProcess(Props.create(AgentCluster.Probe.class), "on-b",
                ProcessOptions.defaults().placement(Placement.label("zone", "b")));
        try {
            assertThat(ask(p.ref(), "where")).isEqualTo(agentB.process.pid());
            assertThat(p.host()).startsWith(agentB.host + "@");
            ActorProcess onA = node.spawnProcess(Props.create(AgentCluster.Probe.class), "on-a",
                    ProcessOptions.defaults().placement(Placement.host("host-a")));
            assertThat(ask(onA.ref(), "where")).isEqualTo(agentA.process.pid());
            ActorProcess here = node.spawnProcess(Props.create(AgentCluster.Probe.class), "here");
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
        ActorProcess p = node.spawnProcess(Props.create(AgentCluster.Probe.class), "exits",
                ProcessOptions.defaults().placement(Placement.label("zone", "a")));
        p.ref().tell("exit3");
        assertThat(p.join(Timeouts.seconds(60))).isTrue();
        ExitStatus s = p.exitStatus().orElseThrow();
        assertThat(s.code()).isEqualTo(3);
        assertThat(s.reason()).isEqualTo(ExitStatus.Reason.CRASHED);

        assertThatThrownBy(() -> node.spawnProcess(Props.create(AgentCluster.Probe.class), "nowhere",
                ProcessOptions.defaults().placement(Placement.label("zone", "c"))))
                .hasMessageContaining("label(zone=c)").hasMessageContaining(agentA.host + "@")
                .hasMessageContaining("bin/procactor agent --cluster zookeeper://").hasMessageContaining("--label zone=c");
    }

    @Test
    @Order(3)
    void aSpreadPoolHasWorkersOnBothAgents() throws Exception {
        try (Pool pool = node.pool(Props.create(AgentCluster.Probe.class), PoolOptions.size(2).name("spread").placement(Placement.spread()))) {
            List<Long> parents = pool.map(IntStream.range(0, 40).boxed().collect(Collectors.toList()), Timeouts.seconds(90));
            assertThat(parents).hasSize(40);
            assertThat(pool.workers().stream().map(ActorProcess::host).collect(Collectors.toList())).allMatch(h -> h.contains("@"))
                    .map(h -> h.substring(0, h.indexOf('@'))).containsOnly("host-a", "host-b").contains("host-a", "host-b");
            assertThat(Set.copyOf(parents)).isSubsetOf(agentA.process.pid(), agentB.process.pid());
        }
    }

    @Test
    @Order(3)
    void aQueueWorksFromAProcessOnAnotherHost() throws Exception {
        // in a cluster queues go through their host actor, not this host's shared memory
        io.procactor.ProcessQueue<Long> q = node.queue("across", 4);
        ActorProcess p = node.spawnProcess(Props.create(AgentCluster.Probe.class), "queue-user",
                ProcessOptions.defaults().placement(Placement.label("zone", "a")));
        try {
            assertThat(ask(p.ref(), q)).isZero();
            assertThat(q.take(Timeouts.seconds(30))).isEqualTo(p.pid());
        } finally {
            p.terminate();
            p.join(Timeouts.seconds(30));
            q.close();
        }
    }

    @Test
    @Order(3)
    void aConsumerThatExitsOnItsOwnAcknowledgesWhatItTookSoNoItemIsTakenTwice() throws Exception {
        io.procactor.ProcessQueue<Long> q = node.queue("acknowledged", 10);
        for (long i = 0; i < 5; i++) {
            q.put(i, Timeouts.seconds(30));
        }
        ActorProcess p = node.spawnProcess(Props.create(AgentCluster.TakeOneAndExit.class), "takes-and-exits",
                ProcessOptions.defaults().placement(Placement.label("zone", "a")));
        try {
            assertThat(ask(p.ref(), q)).isZero(); // the host leased it more than that one: the rest comes back
            assertThat(p.join(Timeouts.seconds(30))).isTrue();
            List<Long> rest = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rest.add(q.take(Timeouts.seconds(30)));
            }
            assertThat(rest).as("item 0 was acknowledged before the exit: not taken again").containsExactly(1L, 2L, 3L, 4L);
            assertThat(q.size()).isZero();
        } finally {
            q.close();
        }
    }

    @Test
    @Order(4)
    void aNodeWithAnotherSecretCannotUseAnAgent() throws Exception {
        assertThat(IntruderCheck.refusal(agentA.host, node, cluster.pki, ClusterSecret.generate())).contains("wrong");
    }

    @Test
    @Order(5)
    void anAgentKillsTheProcessesOfANodeWhoseControlConnectionCloses() throws Exception {
        long pid;
        try (ControlClient byHand = ControlClient.connect(agentA.host, node, cluster.pki, cluster.secret)) {
            byHand.spawnUnadmitted(1, node);
            Object answer = byHand.received.poll(30, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOf(io.procactor.internal.wire.AgentMessages.Spawned.class);
            pid = ((io.procactor.internal.wire.AgentMessages.Spawned) answer).pid();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        }
        await().atMost(Timeouts.seconds(15)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
}
