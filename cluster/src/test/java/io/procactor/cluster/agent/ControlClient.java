package io.procactor.cluster.agent;

import io.procactor.ActorSystem;
import io.procactor.ClusterMember;
import io.procactor.internal.wire.AgentMessages;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.TlsSettings;
import io.procactor.transport.Transport;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A control connection to an agent's cluster endpoint as a node opens one (the cluster secret's
 * HMAC over "procactor-node", certificates of the cluster CA), speaking the agent protocol by hand:
 * for what the public API cannot show, such as the agent's answer to a node that goes away.
 * Not thread-safe; one test at a time.
 */
final class ControlClient implements AutoCloseable {
    /** What the agent sent, in order. */
    final LinkedBlockingQueue<Object> received;
    private final Transport transport;
    private final Connection connection;

    private ControlClient(Transport transport, Connection connection, LinkedBlockingQueue<Object> received) {
        this.transport = transport;
        this.connection = connection;
        this.received = received;
    }

    static ControlClient connect(String agentHost, ActorSystem node, AgentPki pki, String secret) throws Exception {
        ClusterMember agent = node.cluster().members().stream().filter(m -> m.host().equals(agentHost)).findFirst()
                .orElseThrow();
        TransportSettings settings = TransportSettings.defaults().withKind(TransportKind.TCP)
                .withTls(TlsSettings.pem(pki.certificate(), pki.privateKey(), pki.ca()));
        Transport t = Transport.create(settings, "node:by-hand", Protocol.registerAgents(Registrations.builder()).build());
        LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        try {
            Connection c = t.connect(Endpoint.parseAny(agent.address()), credentials(secret), new Inbound() {
                @Override
                public void onMessage(Connection connection, Object message) {
                    inbox.add(message);
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                }
            }).get(30, TimeUnit.SECONDS);
            return new ControlClient(t, c, inbox);
        } catch (Exception e) {
            t.close();
            throw e;
        }
    }

    static Credentials credentials(String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Credentials.fromHex(HexFormat.of().formatHex(mac.doFinal("procactor-node".getBytes(StandardCharsets.UTF_8))));
    }

    /** Asks for a JVM the agent starts but this "node" never admits (its bootstrap is never written). */
    void spawnUnadmitted(long launchId, ActorSystem node) {
        connection.send(AgentMessages.SpawnRequest.of(launchId, "by-hand@0", "unadmitted", "remote", List.of(), Map.of(),
                "tcp:127.0.0.1:9", Credentials.random().toHex(), Credentials.random().toHex(), node.pid(), Map.of()));
    }

    @Override
    public void close() {
        connection.close();
        transport.close();
    }
}
