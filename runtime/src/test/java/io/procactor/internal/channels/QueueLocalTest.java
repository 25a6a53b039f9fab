package io.procactor.internal.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.ActorRef;
import io.procactor.internal.config.Settings;
import io.procactor.internal.core.LoneCore;
import io.procactor.internal.core.ManualScheduler;
import io.procactor.internal.core.ProcessCore;
import io.procactor.internal.core.RuntimeExecutors;
import io.procactor.internal.core.TrackingExecutor;
import io.procactor.testkit.Timeouts;
import io.procactor.transport.Registrations;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A queue's consumer side in a process without shared memory (in a cluster), on its own: what it
 * acknowledges to the host when the process exits. (Leases, takes and the host are covered across
 * processes by the cluster tests.)
 */
class QueueLocalTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ProcessCore core = new ProcessCore("test", "consumer", 1, Settings.from(ConfigFactory.defaultReference()),
            () -> Registrations.builder().build(), RuntimeExecutors.of(TrackingExecutor.direct(), scheduler, scheduler.ticker()),
            LoneCore.QUIET_HOST, c -> null);

    @AfterEach
    void shutdown() {
        core.shutdown("test over");
    }

    @Test
    void aProcessThatExitsAcknowledgesWhatItsTakesReturnedWhileTheAcknowledgementThreadIsBusy() throws Exception {
        QueueLocal local = QueueLocal.of("test/" + System.nanoTime());
        ActorRef host = core.ref("node", "queue-host");
        assertThat(local.take(1, 0, host, inbox -> { })).as("nothing leased yet").isSameAs(QueueLocal.TIMED_OUT);
        List<Long> acknowledged = new CopyOnWriteArrayList<>();
        CountDownLatch slow = new CountDownLatch(1);
        LongConsumer send = n -> {
            acknowledged.add(n);
            if (acknowledged.size() == 1) {
                try {
                    slow.await(); // the acknowledgement thread, held in its first send
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try {
            local.consumed(1, send);
            await().atMost(Timeouts.seconds(10)).until(() -> acknowledged.contains(1L));
            local.consumed(2, send); // due while that thread is busy: it would send them only after, if ever

            core.runExitFlushes(); // the process exits (System.exit, its actors stopped, SIGTERM)

            assertThat(acknowledged).as("the exit sent what was due, on the exiting thread").containsExactly(1L, 2L);
        } finally {
            slow.countDown();
        }
    }
}
