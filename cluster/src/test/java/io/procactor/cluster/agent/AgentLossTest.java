package io.procactor.cluster.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An agent's host dies (SIGKILL of the agent JVM; its children halt with it): once the coordinator
 * reports it lost, its processes end with NODE_LOST for their watchers, pending asks fail with
 * NodeLostException as the cause, a restart policy respawns on the other agent, and a spread pool
 * replaces its worker there. One {@link AgentCluster} of its own, since the agent stays dead.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class AgentLossTest {
    private static AgentCluster cluster;
    private static ActorSystem node;
    private static AgentJvm agentA;
    private static AgentJvm agentB;

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
    static void start() throws Exception {
        cluster = AgentCluster.start("loss");
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
    void aKilledAgentsProcessesEndWithNodeLostAndRestartElsewhere() throws Exception {
        ActorProcess restarting = node.spawnProcess(Props.create(AgentCluster.Probe.class), "restarting",
                ProcessOptions.defaults().placement(Placement.spread()).restart(RestartPolicy.permanent()));
        long firstParent = ask(restarting.ref(), "where");
        AgentJvm victim = firstParent == agentA.process.pid() ? agentA : agentB;
        AgentJvm survivor = victim == agentA ? agentB : agentA;
        ActorProcess pinned = node.spawnProcess(Props.create(AgentCluster.Probe.class), "pinned",
                ProcessOptions.defaults().placement(Placement.host(victim.host)));
        ask(pinned.ref(), "where");
        ActorRef watcher = node.actorOf(Props.create(Watcher.class), "watcher");
        assertThat(watcher.ask(pinned.ref(), Timeouts.seconds(10)).get(10, TimeUnit.SECONDS)).isEqualTo("watching");
        CompletableFuture<Object> pending = pinned.ref().ask("hang", Timeouts.seconds(120));
        Pool pool = node.pool(Props.create(AgentCluster.Probe.class), PoolOptions.size(2).name("survives").placement(Placement.spread()));
        pool.map(List.of(1, 2), Timeouts.seconds(90));

        long killedAt = System.nanoTime();
        victim.kill();
        Terminated t = Watcher.TERMINATED.poll(Timeouts.scaled(AgentCluster.SESSION.plusSeconds(8)).toMillis(), TimeUnit.MILLISECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(t).as("Terminated of the pinned process").isNotNull();
        assertThat(t.status().reason()).isEqualTo(ExitStatus.Reason.NODE_LOST);
        assertThat(t.status().nodeLost()).get().extracting(NodeLostException::host).isEqualTo(victim.host);
        System.out.println("RESULT agent-killed-to-terminated-ms " + tookMs + " (session timeout " + AgentCluster.SESSION.toMillis() + " ms)");
        assertThat(tookMs).isLessThan(Timeouts.scaled(AgentCluster.SESSION.plusMillis(2500)).toMillis());

        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ActorTerminatedException.class)
                .cause().isInstanceOf(NodeLostException.class).hasMessageContaining(victim.host + "@");
        assertThat(pinned.exitStatus().orElseThrow().reason()).isEqualTo(ExitStatus.Reason.NODE_LOST);

        try (pool) { // the pool replaces its worker on the lost host with one on the survivor
            assertThat(Set.copyOf(pool.map(IntStream.range(0, 20).boxed().collect(Collectors.toList()), Timeouts.seconds(90))))
                    .containsOnly(survivor.process.pid());
            assertThat(pool.workers()).allMatch(w -> w.host().startsWith(survivor.host + "@"));
        }
        await().atMost(Timeouts.seconds(60)).until(() -> restarting.restarts() >= 1);
        assertThat(ask(restarting.ref(), "where")).isEqualTo(survivor.process.pid());
        assertThat(restarting.host()).startsWith(survivor.host + "@");
        restarting.terminate();
        assertThat(restarting.join(Timeouts.seconds(30))).isTrue();
    }
}
