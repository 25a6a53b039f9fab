package io.procactor.cluster.agent;

import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.Actor;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.cluster.ClusterSecret;
import io.procactor.testkit.Timeouts;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A cluster on 127.0.0.1 for the agent tests: a node in embedded mode (the test JVM) and two host
 * agent JVMs ({@link AgentTestMain}: host-a with label zone=a, host-b with zone=b), mutual TLS on
 * every TCP connection (certificates of one test CA), 5 s sessions (3 s ones expired by themselves
 * at a load of 25 on 2 cores). Not thread-safe: one per test class.
 */
final class AgentCluster implements AutoCloseable {
    static final Duration SESSION = Duration.ofSeconds(5);

    final ActorSystem node;
    final AgentJvm agentA;
    final AgentJvm agentB;
    final String secret;
    final AgentPki pki;

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
            } else if (message instanceof io.procactor.ProcessQueue<?> q) { // put this JVM's pid
                @SuppressWarnings("unchecked")
                io.procactor.ProcessQueue<Long> longs = (io.procactor.ProcessQueue<Long>) q;
                try {
                    longs.put(ProcessHandle.current().pid(), Duration.ofSeconds(60));
                    reply(0L);
                } catch (java.util.concurrent.TimeoutException e) {
                    reply(e.toString());
                }
            } else if ("exit3".equals(message)) {
                System.exit(3);
            } else if (!"hang".equals(message)) {
                reply(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
            }
        }
    }

    /** Takes one item of the queue it is sent, answers it, and ends its JVM at once (System.exit(0)). */
    public static final class TakeOneAndExit extends Actor {
        @Override
        protected void onReceive(Object message) throws Exception {
            @SuppressWarnings("unchecked")
            io.procactor.ProcessQueue<Long> q = (io.procactor.ProcessQueue<Long>) message;
            reply(q.take(Duration.ofSeconds(60)));
            System.exit(0); // before the acknowledgement thread may have run: the exit flush must acknowledge
        }
    }

    private AgentCluster(ActorSystem node, AgentJvm agentA, AgentJvm agentB, String secret, AgentPki pki) {
        this.node = node;
        this.agentA = agentA;
        this.agentB = agentB;
        this.secret = secret;
        this.pki = pki;
    }

    static AgentCluster start(String systemName) throws Exception {
        Files.createDirectories(Path.of("target"));
        AgentPki pki = AgentPki.make(Files.createTempDirectory(Path.of("target"), "agent-pki"));
        String secret = ClusterSecret.generate();
        int zk;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            zk = s.getLocalPort();
        }
        ActorSystem node = ActorSystem.create(systemName, ConfigFactory.parseString("""
                procactor.cluster { mode = embedded, secret = "%s", session-timeout = %dms, host = the-node,
                  bind = "127.0.0.1:0", embedded { bind = "127.0.0.1", port = %d } }
                procactor.process.start-timeout = 60s
                """.formatted(secret, SESSION.toMillis(), zk) + pki.hocon()).withFallback(ConfigFactory.load()));
        AgentJvm a = null;
        AgentJvm b = null;
        try {
            a = AgentJvm.start("host-a", agentConfig("host-a", "a", zk, secret, pki));
            b = AgentJvm.start("host-b", agentConfig("host-b", "b", zk, secret, pki));
            await().atMost(Timeouts.seconds(10)).until(() -> node.cluster().members().size() == 3);
            return new AgentCluster(node, a, b, secret, pki);
        } catch (Exception | Error e) {
            node.close();
            for (AgentJvm each : new AgentJvm[] {a, b}) {
                if (each != null) {
                    each.close();
                }
            }
            throw e;
        }
    }

    private static String agentConfig(String host, String zone, int zk, String secret, AgentPki pki) {
        return """
                procactor.cluster { mode = "zookeeper://127.0.0.1:%d/procactor", role = agent, secret = "%s",
                  session-timeout = %dms, host = %s, labels { zone = %s }, bind = "127.0.0.1:0" }
                """.formatted(zk, secret, SESSION.toMillis(), host, zone) + pki.hocon();
    }

    /** What {@link Probe} answers to "where": the pid of the agent its JVM runs under. */
    static long where(ActorRef ref) throws Exception {
        return (Long) ref.ask("where", Timeouts.seconds(60)).get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        node.close();
        agentA.close();
        agentB.close();
    }
}
