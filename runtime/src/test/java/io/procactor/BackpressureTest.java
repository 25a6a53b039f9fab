package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.FaultActors;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bounded mailboxes and backpressure between processes. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class BackpressureTest {
    private static final Duration T = Timeouts.seconds(60);

    @Test
    void aFullMailboxWithFailPolicyFailsTheAskAtOnce() throws Exception {
        var config = ConfigFactory.parseString("procactor.mailbox { capacity = 5, overflow = fail }");
        try (ActorSystem system = ActorSystem.create("overflow", config)) {
            // The consumer holds each message 3 s, so in the moments the asks below take to arrive it frees at most
            // one slot: when its first turn starts (at the end of the socket read that brought the tells) it takes
            // one of the 5 queued. So of two asks sent back to back at least one finds the mailbox full, whichever
            // read each arrives in; the refused one fails at once, the other would be answered seconds later.
            long perMessage = Timeouts.seconds(3).toMillis();
            ActorRef slow = system.spawnProcess(Props.create(FaultActors.SlowConsumer.class, perMessage), "slow").ref();
            slow.ask("stats", T).get(T.toMillis(), TimeUnit.MILLISECONDS); // up and running
            for (int i = 0; i < 20; i++) {
                slow.tell("work");
            }
            CompletableFuture<Object> first = slow.ask("stats", T);
            CompletableFuture<Object> second = slow.ask("stats", T);
            assertThatThrownBy(() -> CompletableFuture.anyOf(first, second).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(MailboxOverflowException.class)
                    .hasMessageContaining("mailbox was full");
        }
    }

    /**
     * A node actor whose full mailbox (overflow = block) stops the node reading from a child for
     * longer than the heartbeat timeout: the child's PONGs wait unread with its messages, and the
     * node must not take the silence it caused for a hung child. Slowness is not failure.
     */
    @Test
    void aChildTheNodeStoppedReadingFromIsNotKilledAsUnresponsive() throws Exception {
        var config = ConfigFactory.parseString("procactor.mailbox { capacity = 1, overflow = block, block-timeout = 60s }\n"
                + "procactor.process { heartbeat-interval = 200ms, heartbeat-timeout = 1s }");
        long perMessage = 2_500; // each message holds the consumer for more than twice the heartbeat timeout
        try (ActorSystem system = ActorSystem.create("paused", config)) {
            ActorRef consumer = system.actorOf(Props.create(FaultActors.SlowConsumer.class, perMessage), "consumer");
            ActorProcess producer = system.spawnProcess(Props.create(FaultActors.Producer.class), "producer");
            producer.ref().ask(consumer, T).get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(producer.ref().<String>ask("flood:3", T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("sent 3");
            org.awaitility.Awaitility.await().atMost(T).until(() -> consumer.<List<Long>>ask("stats", T).get().get(0) == 3);
            assertThat(producer.isAlive()).as("the producer lives on").isTrue();
            assertThat(producer.restarts()).as("and was never restarted").isZero();
            assertThat(producer.ref().<String>ask("flood:0", T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("sent 0");
        }
    }

    @Test
    void aProducerFloodingASlowConsumerInAnotherJvmDoesNotExhaustEitherHeap() throws Exception {
        var config = ConfigFactory.parseString("procactor.mailbox { capacity = 1000, overflow = block, block-timeout = 60s }");
        int n = 60_000; // 60 MiB of payload: more than either JVM's heap
        ProcessOptions small = ProcessOptions.defaults().jvmOptions("-Xmx40m");
        try (ActorSystem system = ActorSystem.create("flood", config)) {
            ActorProcess consumer = system.spawnProcess(Props.create(FaultActors.SlowConsumer.class, 0L), "consumer", small);
            ActorProcess producer = system.spawnProcess(Props.create(FaultActors.Producer.class), "producer", small);
            producer.ref().ask(consumer.ref(), T).get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(producer.ref().<String>ask("flood:" + n, T).get(T.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo("sent " + n);
            @SuppressWarnings("unchecked")
            List<Long> stats = (List<Long>) org.awaitility.Awaitility.await().atMost(T)
                    .until(() -> consumer.ref().<List<Long>>ask("stats", T).get(), s -> s.get(0) == n);
            assertThat(stats.get(0)).as("nothing lost").isEqualTo(n);
            assertThat(consumer.isAlive()).isTrue();
            assertThat(producer.isAlive()).isTrue();
            assertThat(stats.get(1)).as("consumer heap stays bounded").isLessThan(40L * 1024 * 1024);
        }
    }
}
