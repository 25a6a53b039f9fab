package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorProcess;
import io.procactor.Props;
import io.procactor.internal.core.AskRef;
import io.procactor.internal.core.RefCodec;
import io.procactor.internal.core.RefImpl;
import io.procactor.internal.wire.Protocol;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.HandshakeException;
import io.procactor.transport.Inbound;
import io.procactor.transport.Registrations;
import io.procactor.transport.Transport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Only the JVM the node launched is admitted as that child: a connection claiming a child's name
 * is refused without the one-time secret that JVM got on its stdin, even by a peer that knows the
 * secret children share (a compromised child), and the real child goes on working.
 */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class ChildAdmissionTest {
    private static final Duration T = Timeouts.seconds(60);
    private static final Inbound NOTHING = new Inbound() {
        @Override
        public void onMessage(Connection connection, Object message) {
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
        }
    };

    @Test
    void aConnectionClaimingAChildsNameIsRefusedWithoutThatLaunchsOwnSecret() throws Exception {
        NodeRuntime node = new NodeRuntime("admission", ConfigFactory.load(), Map.of());
        try {
            ActorProcess child = node.newProcess(Props.create(TestActors.Doubler.class), "worker");
            child.start();
            child.ready().get(T.toMillis(), TimeUnit.MILLISECONDS);

            RefCodec refs = new RefCodec();
            Transport impostor = Transport.create(node.settings().transport(), "worker",
                    Protocol.register(Registrations.builder(), RefImpl.class, refs, AskRef.class, refs.asks).build());
            try {
                for (Credentials guess : new Credentials[] {Credentials.random(), node.peerCredentials()}) {
                    assertThatThrownBy(() -> impostor.connect(node.endpoint(), guess, NOTHING).get(T.toMillis(), TimeUnit.MILLISECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(HandshakeException.class);
                }
            } finally {
                impostor.close();
            }

            assertThat(child.ref().<Integer>ask(21, T).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the real child still answers").isEqualTo(42);
        } finally {
            node.close();
        }
    }
}
