package io.procactor.cluster.agent;

import io.procactor.ActorSystem;
import io.procactor.ClusterMember;
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
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A node of another cluster (another secret) with certificates of this cluster's CA: it gets
 * through TLS, then presents the credentials its secret gives (HMAC-SHA256 over "procactor-node",
 * as nodes do) to an agent's cluster endpoint. Stateless.
 */
final class IntruderCheck {
    private IntruderCheck() {
    }

    /** The agent's refusal of the intruder, or "admitted". */
    static String refusal(String agentHost, ActorSystem node, AgentPki pki, String otherSecret) throws Exception {
        ClusterMember agent = node.cluster().members().stream().filter(m -> m.host().equals(agentHost)).findFirst()
                .orElseThrow();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(otherSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Credentials wrong = Credentials.fromHex(HexFormat.of().formatHex(mac.doFinal("procactor-node".getBytes(StandardCharsets.UTF_8))));
        TransportSettings settings = TransportSettings.defaults().withKind(TransportKind.TCP)
                .withTls(TlsSettings.pem(pki.certificate(), pki.privateKey(), pki.ca()));
        try (Transport t = Transport.create(settings, "node:intruder", Registrations.builder().build())) {
            t.connect(Endpoint.parseAny(agent.address()), wrong, new Inbound() {
                @Override
                public void onMessage(io.procactor.transport.Connection c, Object message) {
                }

                @Override
                public void onClosed(io.procactor.transport.Connection c, Throwable cause) {
                }
            }).get(30, TimeUnit.SECONDS);
            return "admitted";
        } catch (java.util.concurrent.ExecutionException e) {
            return String.valueOf(e.getCause().getMessage());
        }
    }
}
