package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.procactor.testkit.FaultActors;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.ProcessFaults;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Process-level supervision: respawn with stable refs, crash loops, unresponsive children. */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ProcessRestartTest {
    private static final Duration T = Timeouts.seconds(30);
    private static final RestartPolicy FAST = RestartPolicy.permanent()
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 0.1);

    @Test
    void sigkillUnderAskLoadFailsEveryAskInTimeAndTheRespawnedProcessAnswersOnTheSameRef() throws Exception {
        try (ActorSystem system = ActorSystem.create("restart")) {
            ActorProcess p = system.spawnProcess(Props.create(TestActors.Doubler.class), "doubler",
                    ProcessOptions.defaults().restart(FAST));
            ActorRef ref = p.ref();
            assertThat(ref.<Integer>ask(1, T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(2);
            long oldPid = p.pid();

            // continuous ask load from 3 threads, each ask with a 5 s timeout
            AtomicBoolean running = new AtomicBoolean(true);
            List<CompletableFuture<Integer>> asks = new java.util.concurrent.CopyOnWriteArrayList<>();
            var last = new java.util.concurrent.atomic.AtomicReference<CompletableFuture<Integer>>();
            List<Thread> loaders = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread th = new Thread(() -> {
                    int i = 0;
                    while (running.get()) {
                        CompletableFuture<Integer> f = ref.ask(i++, Duration.ofSeconds(5));
                        asks.add(f);
                        last.set(f);
                        try {
                            f.get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            // failures are checked below
                        }
                    }
                });
                th.start();
                loaders.add(th);
            }
            await().atMost(T).until(() -> asks.size() > 100);
            long killedAt = System.nanoTime();
            ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
            await().atMost(T).until(() -> p.restarts() == 1 && p.pid() != oldPid);
            Duration back = Duration.ofNanos(System.nanoTime() - killedAt);
            // the load goes on against the new incarnation: wait for an ask that succeeds there
            await().atMost(T).until(() -> p.pid() != oldPid && last.get().isDone() && !last.get().isCompletedExceptionally()
                    && last.get().getNow(-1) > 0);
            running.set(false);
            for (Thread th : loaders) {
                th.join(T.toMillis());
            }
            int failed = 0;
            for (CompletableFuture<Integer> f : new ArrayList<>(asks)) {
                assertThat(f).as("no ask hangs").isDone();
                if (f.isCompletedExceptionally()) {
                    failed++;
                    assertThatCause(f).isInstanceOf(ActorTerminatedException.class);
                }
            }
            // asks in flight at the kill, and those sent before the node has seen the exit, fail at once;
            // the rest (before the kill, and to the new incarnation) succeed
            assertThat(failed).as("failed asks").isLessThan(asks.size() / 2);
            assertThat(back).as("the child is respawned within 1 s of the kill").isLessThan(Duration.ofSeconds(1));
            assertThat(ref.<Integer>ask(21, T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(42);
        }
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatCause(CompletableFuture<?> f) {
        try {
            f.get();
            throw new AssertionError("expected a failed future");
        } catch (ExecutionException e) {
            return assertThat(e.getCause());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCrashLoopStopsWhenTheRestartIntensityIsExceeded() throws Exception {
        try (ActorSystem system = ActorSystem.create("crashloop")) {
            ActorProcess p = system.spawnProcess(Props.create(FaultActors.CrashOnStart.class), "looper",
                    ProcessOptions.defaults().restart(FAST.withIntensity(2, Duration.ofMinutes(1))));
            ExitStatus status = p.onExit().get(60, TimeUnit.SECONDS);
            assertThat(p.restarts()).isEqualTo(2);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.CRASHED);
            assertThat(status.code()).isEqualTo(3);
            assertThat(p.isAlive()).isFalse();
        }
    }

    @Test
    void transientProcessIsNotRestartedAfterACleanExit() throws Exception {
        try (ActorSystem system = ActorSystem.create("transient")) {
            ActorProcess p = system.spawnProcess(Props.create(FaultActors.Counter.class), "counter",
                    ProcessOptions.defaults().restart(RestartPolicy.transientRestarts()));
            p.terminate();
            ExitStatus status = p.onExit().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.isClean()).isTrue();
            assertThat(p.restarts()).isZero();
        }
    }

    @Test
    void aStoppedChildIsDetectedAsUnresponsiveAndKilled() throws Exception {
        var config = ConfigFactory.parseString("procactor.process { heartbeat-interval = 200ms, heartbeat-timeout = 1s }");
        try (ActorSystem system = ActorSystem.create("sigstop", config)) {
            ActorProcess p = system.spawnProcess(Props.create(FaultActors.Counter.class), "sleepy");
            assertThat(p.ref().<Integer>ask("get", T).get(T.toMillis(), TimeUnit.MILLISECONDS)).isZero();
            long stoppedAt = System.nanoTime();
            ProcessFaults.stop(p);
            ExitStatus status = p.onExit().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.reason()).isEqualTo(ExitStatus.Reason.UNRESPONSIVE);
            assertThat(status.signal()).isEqualTo(9);
            assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
