package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same messaging works over every transport kind (epoll is what "auto" picks on Linux where available). */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class TransportKindsTest {
    private static final Duration FIRST_ASK = Timeouts.seconds(60);
    private static final Duration ASK = Timeouts.seconds(20);

    @ParameterizedTest(name = "procactor.transport.kind = {0}")
    @ValueSource(strings = {"auto", "nio-unix", "tcp"})
    void tellAskAndRefsBetweenChildren(String kind) throws Exception {
        try (ActorSystem system = ActorSystem.create("kinds",
                ConfigFactory.parseString("procactor.transport.kind = \"" + kind + "\""))) {
            ActorProcess doubler = system.spawnProcess(Props.create(TestActors.Doubler.class), "doubler");
            ActorProcess forwarder = system.spawnProcess(Props.create(TestActors.Forwarder.class), "forwarder");

            CompletableFuture<Integer> answer = doubler.ref().ask(21, FIRST_ASK);
            forwarder.ref().tell(doubler.ref());
            CompletableFuture<String> via = forwarder.ref().ask(5, FIRST_ASK);
            assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(via.get(60, TimeUnit.SECONDS)).isEqualTo("via forwarder: 10");

            CompletableFuture<Object> received = new CompletableFuture<>();
            ActorRef collector = system.actorOf(Props.create(TestActors.Collector.class, received), "collector");
            doubler.ref().tell(8, collector);
            assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(16);

            List<CompletableFuture<String>> many = IntStream.range(0, 200)
                    .mapToObj(i -> forwarder.ref().<String>ask(i, ASK)).toList();
            for (int i = 0; i < many.size(); i++) {
                assertThat(many.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("via forwarder: " + (2 * i));
            }
        }
    }
}
