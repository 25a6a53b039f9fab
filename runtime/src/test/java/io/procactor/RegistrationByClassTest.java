package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Message classes registered by class alone, in code or in config: the node picks the ids and every child uses them. */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class RegistrationByClassTest {
    private static final Duration T = Timeouts.seconds(60);

    public record Order(String item, int quantity) {
    }

    public record OrderAck(String item, int total) {
    }

    /** Acknowledges an order with twice its quantity. */
    public static final class Clerk extends Actor {
        @Override
        protected void onReceive(Object message) {
            if (message instanceof Order o) {
                reply(new OrderAck(o.item(), 2 * o.quantity()));
            } else {
                unhandled(message);
            }
        }
    }

    @Test
    void classesRegisteredWithoutIdsCrossProcessesBothWays() throws Exception {
        try (ActorSystem system = ActorSystem.builder("by-class").register(Order.class, OrderAck.class).build()) {
            ActorProcess clerk = system.spawnProcess(Props.create(Clerk.class), "clerk");
            assertThat(clerk.ref().<OrderAck>ask(new Order("tea", 3), T).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo(new OrderAck("tea", 6));
        }
    }

    @Test
    void classesNamedInConfigAreRegisteredToo() throws Exception {
        String config = "procactor.serialization.classes = [\"" + Order.class.getName() + "\", \"" + OrderAck.class.getName() + "\"]";
        try (ActorSystem system = ActorSystem.create("by-config", ConfigFactory.parseString(config))) {
            ActorProcess clerk = system.spawnProcess(Props.create(Clerk.class), "clerk");
            assertThat(clerk.ref().<OrderAck>ask(new Order("rice", 5), T).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo(new OrderAck("rice", 10));
        }
    }

    @Test
    void aLambdaCannotBeRegistered() {
        Runnable job = () -> { };
        assertThatThrownBy(() -> ActorSystem.builder("lambda").register(job.getClass()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lambda")
                .hasMessageContaining("send a record or a class of your own");
    }
}
