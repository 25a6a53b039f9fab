package io.procactor.internal.node;

import io.procactor.ClusterMember;
import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.cluster.CoordinatorEvents;
import io.procactor.internal.cluster.NodeDescription;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of its {@link io.procactor.internal.cluster.Coordinator}: what it registers
 * ({@link #describe}) and what it does when the coordination engine reports (log; kill its own
 * children when its session is lost, as Erlang's {@code peer} does, since every other node holds
 * them dead from that moment). Stopping work while suspended is the coordinator's
 * {@code acceptingWork()} flag, which the agent reads before taking a spawn request; a lost
 * member's processes end ({@link RemoteLaunches#memberLost}, {@link AgentService#memberLost}).
 *
 * <p>Thread-safe: events arrive on the coordinator's event thread; {@link #describe} on the thread
 * that opens the coordinator or first asks for the members.
 */
final class NodeCoordination implements CoordinatorEvents {
    private static final Logger log = LoggerFactory.getLogger(NodeCoordination.class);

    private final String systemName;
    private final ChildDirectory children;
    private final RemoteLaunches remote;
    private final AgentService agent;

    /**
     * @param remote this node's spawns on agents (null in mode local)
     * @param agent  this node's agent service (null unless procactor.cluster.role = agent)
     */
    NodeCoordination(String systemName, ChildDirectory children, RemoteLaunches remote, AgentService agent) {
        this.systemName = systemName;
        this.children = children;
        this.remote = remote;
        this.agent = agent;
    }

    /** This node for the cluster: host, transport address, cores, host memory, labels. */
    static NodeDescription describe(ClusterSettings settings, String address) {
        String host = settings.host().isEmpty() ? localHostName() : settings.host();
        return new NodeDescription(host, address, Runtime.getRuntime().availableProcessors(), hostMemory(), settings.labels(),
                settings.role().configName());
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static long hostMemory() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : 0;
    }

    @Override
    public void memberJoined(ClusterMember member) {
        log.info("Cluster member joined: {} at {}", member, member.address());
    }

    @Override
    public void memberLost(ClusterMember member) {
        log.warn("Cluster member lost: {} (its session expired or it left)", member);
        if (remote != null) {
            remote.memberLost(member); // our processes there end now, with NODE_LOST
        }
        if (agent != null) {
            agent.memberLost(member); // the processes we ran for it are dead for everyone
        }
    }

    @Override
    public void suspended() {
        log.warn("Actor system [{}] lost its connection to the cluster's coordinator: taking no work until it is back",
                systemName);
    }

    @Override
    public void resumed() {
        log.info("Actor system [{}] reconnected to the cluster's coordinator within its session", systemName);
    }

    @Override
    public void sessionLost(ClusterMember lost) {
        List<ChildHandle> all = List.copyOf(children.all());
        log.error("Actor system [{}] lost its cluster session: the other nodes hold {} dead, so its {} child process(es) "
                + "are killed", systemName, lost, all.size());
        all.forEach(ChildHandle::kill);
        if (agent != null) {
            agent.sessionLost(); // and those it ran for other nodes, which saw it lost
        }
    }

    @Override
    public void rejoined(ClusterMember self) {
        log.info("Actor system [{}] rejoined the cluster as a new incarnation {}", systemName, self);
    }
}
