package io.procactor.internal.node;

import io.procactor.internal.cluster.ClusterSettings;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Admission;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Gatekeeper;
import io.procactor.transport.Hello;
import io.procactor.transport.Inbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.Server;
import io.procactor.transport.Transport;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's second server, outside mode local: TCP on {@code procactor.cluster.bind}, with mutual TLS
 * when {@code procactor.transport.tls} is on; its bound address is what the node's member znode
 * advertises. It admits children launched on other hosts for this node (their one-time launch
 * secret, as {@link NodeInbound} checks for local ones) and other nodes that prove the cluster
 * secret ({@link #nodeCredentials}), for the agent control protocol. It also holds the client
 * transport this node opens control connections to agents with: a separate one, since a client
 * adopts its server's registration table and this server's table must stay the node's own.
 *
 * <p>Threads: thread-safe. Created and closed by {@link NodeRuntime}; {@link #connect} from any
 * thread; the gatekeeper on the server's I/O threads.
 */
final class ClusterEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterEndpoint.class);
    /** The HELLO name of a node's control connection: {@code node:<host>@<incarnation>}. */
    static final String NODE_PREFIX = "node:";

    private final Transport serverTransport;
    private final Transport clientTransport;
    private final Server server;
    private final Credentials nodeCredentials;

    private ClusterEndpoint(Transport serverTransport, Transport clientTransport, Server server, Credentials nodeCredentials) {
        this.serverTransport = serverTransport;
        this.clientTransport = clientTransport;
        this.server = server;
        this.nodeCredentials = nodeCredentials;
    }

    /**
     * Binds the cluster endpoint.
     *
     * @param children admits this node's children that connect over TCP ({@link NodeInbound#admit})
     * @param nodes    serves another node's control connection (it proved the cluster secret); null
     *                 on a node that is no agent: such connections are refused
     */
    static ClusterEndpoint open(ClusterSettings cluster, TransportSettings transport, String systemName,
                                Registrations nodeTable, Gatekeeper children, Function<Connection, Inbound> nodes) {
        TransportSettings tcp = transport.withKind(TransportKind.TCP)
                .withIoThreads(transport.ioThreads() > 0 ? transport.ioThreads()
                        : Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        Credentials secret = nodeCredentials(cluster.secret());
        Endpoint bind = bindEndpoint(cluster.bind());
        if (!tcp.usesTls(TransportKind.TCP) && !isLoopback(bind) && !cluster.insecurePlainTcp()) {
            throw new io.procactor.ConfigurationException("the cluster endpoint of actor system [" + systemName + "] would "
                    + "listen on " + bind + " with plain TCP, which carries the cluster's node credential and launch secrets "
                    + "in the clear: anyone who sees that traffic could start JVMs on every agent. Set procactor.transport.tls "
                    + "(docs/security.md), bind to 127.0.0.1 for one machine (procactor.cluster.bind = \"127.0.0.1:0\"), or "
                    + "accept the risk on a trusted network with procactor.cluster.insecure-plain-tcp = true");
        }
        if (!tcp.usesTls(TransportKind.TCP)) {
            log.warn("The cluster endpoint of actor system [{}] ({}) is plain TCP: anyone on the network path can read and "
                    + "alter what crosses it, launch secrets included; set procactor.transport.tls (docs/security.md)",
                    systemName, bind);
        }
        Transport serverTransport = Transport.create(tcp, Protocol.NODE, nodeTable);
        Transport clientTransport = null;
        try {
            clientTransport = Transport.create(tcp.withIoThreads(1), NODE_PREFIX + systemName,
                    Protocol.registerAgents(Registrations.builder()).build());
            Gatekeeper gate = hello -> {
                if (hello.proves(secret)) {
                    return nodes != null ? Admission.accept(nodes::apply)
                            : Admission.refuse("this node is no host agent (procactor.cluster.role = node)");
                }
                if (hello.peer().name().startsWith(NODE_PREFIX)) {
                    return Admission.refuse("wrong cluster secret: the node's procactor.cluster.secret is not this "
                            + "cluster's");
                }
                return children.admit(hello);
            };
            Server server = serverTransport.bind(bind, gate);
            return new ClusterEndpoint(serverTransport, clientTransport, server, secret);
        } catch (RuntimeException e) {
            serverTransport.close();
            if (clientTransport != null) {
                clientTransport.close();
            }
            throw new IllegalStateException("cannot open the cluster endpoint on [" + bind + "] (procactor.cluster.bind = \""
                    + cluster.bind() + "\"): " + e.getMessage(), e);
        }
    }

    private static boolean isLoopback(Endpoint bind) {
        try {
            return java.net.InetAddress.getByName(bind.host()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * What nodes prove to each other's cluster endpoints: HMAC-SHA256 of the cluster secret over a fixed
     * label, so the secret itself never crosses the network.
     */
    static Credentials nodeCredentials(String clusterSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Credentials.fromHex(java.util.HexFormat.of().formatHex(
                    mac.doFinal("procactor-node".getBytes(StandardCharsets.UTF_8))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot derive the node credentials from the cluster secret: " + e, e);
        }
    }

    /** {@code ip:port}, or this host's first non-loopback IPv4 address (else 127.0.0.1) and any port. */
    static Endpoint bindEndpoint(String bind) {
        if (bind.isEmpty()) {
            return Endpoint.tcp(hostAddress(), 0);
        }
        int colon = bind.lastIndexOf(':');
        return Endpoint.tcp(bind.substring(0, colon), Integer.parseInt(bind.substring(colon + 1)));
    }

    private static String hostAddress() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("Cannot list network interfaces: {}", e.toString());
        }
        return "127.0.0.1";
    }

    Endpoint endpoint() {
        return server.endpoint();
    }

    Credentials nodeCredentials() {
        return nodeCredentials;
    }

    /** Opens a control connection to another node's (an agent's) cluster endpoint, proving the cluster secret. */
    CompletableFuture<Connection> connect(Endpoint agent, Inbound inbound) {
        return clientTransport.connect(agent, nodeCredentials, inbound);
    }

    boolean usesTls() {
        return serverTransport.usesTls();
    }

    @Override
    public void close() {
        server.close();
        serverTransport.close();
        clientTransport.close();
    }
}
