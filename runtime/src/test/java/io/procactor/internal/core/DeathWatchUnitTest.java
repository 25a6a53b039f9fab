package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.procactor.ExitStatus;
import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.Protocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Remote death watch in one thread: a watch of an actor in another process sends Watch once and
 * ends with exactly one Terminated, whether the target's process reports the stop or the whole
 * process goes down first. The watcher here is a name with no actor behind it, so each Terminated
 * delivered shows up as one "no such actor" dead letter.
 */
class DeathWatchUnitTest {
    private static final ExitStatus CRASHED = new ExitStatus(3, 0, ExitStatus.Reason.CRASHED, "boom", List.of());
    private static final ExitStatus STOPPED = new ExitStatus(0, 0, ExitStatus.Reason.NORMAL, "actor stopped", List.of());

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Map<String, ProcessDirectory.Route> routes = new ConcurrentHashMap<>();
    private final RecordingConnection worker = new RecordingConnection();
    private final List<Object> toWorker = worker.sent();
    private final ProcessCore core = LoneCore.create("node", Settings.from(ConfigFactory.defaultReference()),
            RuntimeExecutors.of(TrackingExecutor.direct(), scheduler, scheduler.ticker()), routes);
    private final RefImpl watcher = core.ref("node", "watcher");
    private final RefImpl target = core.ref("worker", "target");

    private long terminatedDelivered() {
        return core.deadLetterCounts().getOrDefault(DeadLetterReason.NO_SUCH_ACTOR.key(), 0L);
    }

    private void workerIsUp() {
        Association a = core.newLink("worker");
        a.attach(worker);
        routes.put("worker", new ProcessDirectory.Linked(a));
    }

    @Test
    void theTargetsStopEndsTheWatchOnceAndALaterProcessDownAddsNothing() {
        workerIsUp();
        core.watch(watcher, target);
        assertThat(toWorker).containsExactly(new Protocol.Watch(target, watcher));

        core.handleSystem(Protocol.WatchNotify.of(target, watcher, STOPPED));
        core.handleSystem(Protocol.WatchNotify.of(target, watcher, STOPPED));
        core.processDown("worker", CRASHED);

        assertThat(terminatedDelivered()).isOne();
    }

    @Test
    void theProcessGoingDownEndsTheWatchOnceAndALateStopNoticeAddsNothing() {
        workerIsUp();
        core.watch(watcher, target);

        core.processDown("worker", CRASHED);
        core.handleSystem(Protocol.WatchNotify.of(target, watcher, STOPPED));

        assertThat(terminatedDelivered()).isOne();
    }

    @Test
    void anUnwatchedTargetTellsNobody() {
        workerIsUp();
        core.watch(watcher, target);
        core.unwatch(watcher, target);

        core.handleSystem(Protocol.WatchNotify.of(target, watcher, STOPPED));
        core.processDown("worker", CRASHED);

        assertThat(toWorker).containsExactly(new Protocol.Watch(target, watcher), new Protocol.Unwatch(target, watcher));
        assertThat(terminatedDelivered()).isZero();
    }

    @Test
    void watchingAnActorOfAProcessThatExitedOrNeverExistedEndsAtOnce() {
        routes.put("gone", new ProcessDirectory.Gone(CRASHED));

        core.watch(watcher, core.ref("gone", "x"));
        core.watch(watcher, core.ref("nobody", "x"));

        assertThat(terminatedDelivered()).isEqualTo(2);
        assertThat(toWorker).isEmpty();
    }
}
