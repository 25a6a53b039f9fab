package io.procactor.internal.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent control protocol (issue 14, wire ids 190-199): a node asks a host agent to start a
 * child JVM for it, the agent reports the JVM's pid, output and exact exit value, and the node
 * signals it. It travels on the node's connection to the agent's cluster endpoint, which the
 * node opens proving the cluster secret; the child itself then connects to the node's cluster
 * endpoint with its one-time launch secret, like a local child. Collections are the plain JDK
 * ones the transport knows ({@code ArrayList}, {@code HashMap}).
 *
 * <p>Threads: every record is immutable in practice and may be sent from any thread.
 */
public final class AgentMessages {
    /**
     * The peer endpoint the node gives a child for a process it must reach through the node (in
     * {@code PeerUp}): one of them runs on another host, where a Unix socket or loopback port means nothing.
     */
    public static final String VIA_NODE = "via-node";

    private AgentMessages() {
    }

    /**
     * Node to agent: start the JVM of process {@code name}. {@code node} is the node's cluster
     * endpoint (where the child connects), {@code token} the launch's one-time secret and
     * {@code peerToken} the system's peer secret (hex; both travel only inside TLS when it is on),
     * {@code settings} the node's child settings ({@code ChildBootstrap}), to which the agent adds its
     * own transport and TLS files; {@code requester} is the node's cluster member ({@code host@incarnation}),
     * whose loss makes the agent kill the process.
     */
    public record SpawnRequest(long launchId, String requester, String name, String system, ArrayList<String> jvmOptions,
                               HashMap<String, String> environment, String node, String token, String peerToken,
                               long parentPid, HashMap<String, String> settings) {
        public static SpawnRequest of(long launchId, String requester, String name, String system, List<String> jvmOptions,
                                      Map<String, String> environment, String node, String token, String peerToken,
                                      long parentPid, Map<String, String> settings) {
            return new SpawnRequest(launchId, requester, name, system, new ArrayList<>(jvmOptions), new HashMap<>(environment), node,
                    token, peerToken, parentPid, new HashMap<>(settings));
        }
    }

    /**
     * Agent to node: the JVM of launch {@code launchId} runs as {@code pid}; the agent writes its
     * bootstrap when the node answers {@link Admit}, so the child cannot connect before the node
     * knows which pid to admit.
     */
    public record Spawned(long launchId, long pid) {
    }

    /** Agent to node: the JVM could not be started (or the agent takes no work now), and why. */
    public record SpawnFailed(long launchId, String reason) {
    }

    /** Agent to node: bytes the child wrote to its stdout, or its stderr. */
    public record Output(long launchId, boolean stderr, byte[] bytes) {
    }

    /** Agent to node: the child JVM exited with this value, exactly as {@link Process#exitValue()} gives it (128+N for signal N). */
    public record Exited(long launchId, int exitValue) {
    }

    /** Node to agent: the node now expects the child of {@code launchId}: hand it its bootstrap. */
    public record Admit(long launchId) {
    }

    /** Node to agent: terminate (SIGTERM) or kill (SIGKILL) the child JVM of {@code launchId}. */
    public record Signal(long launchId, boolean kill) {
    }
}
