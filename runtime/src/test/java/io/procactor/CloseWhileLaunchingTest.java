package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.ExitStatus.Reason;
import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.TestActors;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code close()} racing the launch of a child JVM on another thread: it returns only once every
 * JVM it may have raced has exited, and a launch it beat never happens.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class CloseWhileLaunchingTest {
    private static final Duration T = Timeouts.seconds(60);
    private static final int ROUNDS = Integer.getInteger("procactor.test.close-rounds", 4);
    /** The node's one dispatcher thread waits on this in {@link DispatcherBlocker}. */
    private static volatile CountDownLatch unblock;
    private static volatile CountDownLatch blocking;

    /**
     * A launch that waited for its start slot runs on the node's dispatcher once admitted. With that
     * dispatcher busy, the launch is admitted but has not run when close() comes: the process has no
     * pid yet, and close() must neither skip it (its JVM would be launched afterwards, or the process
     * never finish) nor let it launch.
     */
    @Test
    void closeFinishesAProcessWhoseAdmittedLaunchHasNotRunYet() throws Exception {
        Set<Long> before = liveDescendants();
        Config config = ConfigFactory.parseString("procactor.process { max-starting = 1, terminate-grace-period = 1s }\n"
                + "procactor.dispatcher.threads = 1").withFallback(ConfigFactory.load());
        ActorSystem system = ActorSystem.create("close-admitted", config);
        ActorProcess first;
        ActorProcess second;
        try {
            blocking = new CountDownLatch(1);
            unblock = new CountDownLatch(1);
            system.actorOf(Props.create(DispatcherBlocker.class), "blocker").tell("block", null);
            assertThat(blocking.await(T.toMillis(), TimeUnit.MILLISECONDS)).as("the dispatcher is blocked").isTrue();
            first = system.spawnProcess(Props.create(TestActors.Doubler.class), "first"); // launched on this thread
            second = system.spawnProcess(Props.create(TestActors.Doubler.class), "second"); // waits for first's slot
            second.onExit().thenRun(unblock::countDown); // on the thread that finishes it, not the dispatcher
            // first listens: its slot goes to second, whose launch now waits for the dispatcher
            assertThat(first.ready().get(T.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(first);
            assertThatThrownBy(second::pid).as("admitted, not launched")
                    .isInstanceOf(IllegalStateException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("start slot"));
        } finally {
            system.close();
        }
        assertThat(liveDescendantsBut(before)).as("child JVMs left when close() returned").isEmpty();
        assertThat(first.exitStatus()).as("first").isPresent();
        ExitStatus status = second.exitStatus().orElseThrow(() -> new AssertionError("close() returned while process "
                + second + " had not finished: " + second.isAlive()));
        assertThat(status.reason()).isEqualTo(Reason.TERMINATED);
        assertThat(status.detail()).contains("before its JVM was launched").contains("closed");
        assertThat(second.isAlive()).isFalse();
        assertThatThrownBy(second::pid).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A thread spawns processes one after the other, each killed and joined at once while the system
     * is open, and close() runs on another thread: the spawner is then most likely inside a launch,
     * the JVM forked but its handle without a pid yet, and close() finds it the only process alive.
     * Whatever close() raced, no JVM may outlive it, and every process it stopped ends terminated.
     * A few rounds: each lands at another point of the spawner's loop.
     */
    @Test
    void noJvmOutlivesACloseThatRacesSpawns() throws Exception {
        ExecutorService spawnerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "spawner"));
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                closeWhileSpawning(round, spawnerThread);
            }
        } finally {
            spawnerThread.shutdownNow();
        }
    }

    private void closeWhileSpawning(int round, ExecutorService spawnerThread) throws Exception {
        Set<Long> before = liveDescendants();
        ActorSystem system = ActorSystem.create("close-spawning-" + round, ConfigFactory.parseString(
                "procactor.process.terminate-grace-period = 1s").withFallback(ConfigFactory.load()));
        Set<ActorProcess> killed = ConcurrentHashMap.newKeySet();
        AtomicBoolean closing = new AtomicBoolean();
        CountDownLatch spawnedTwo = new CountDownLatch(2);
        CompletableFuture<Void> spawner = CompletableFuture.runAsync(() -> {
            for (int i = 0; ; i++) {
                ActorProcess p;
                try {
                    p = system.spawnProcess(Props.create(TestActors.Doubler.class), "p" + i);
                } catch (IllegalStateException e) {
                    if (e.getMessage().contains("is closed")) { // from process(): close() came first
                        return;
                    }
                    throw e;
                }
                if (!closing.get()) { // so that close() finds only the process being launched alive
                    killed.add(p);
                    p.kill();
                    joined(p);
                }
                spawnedTwo.countDown();
            }
        }, spawnerThread);
        try {
            assertThat(spawnedTwo.await(T.toMillis(), TimeUnit.MILLISECONDS)).as("round " + round + ": spawning").isTrue();
            closing.set(true);
        } finally {
            system.close();
        }
        assertThat(liveDescendantsBut(before)).as("round %d: child JVMs left when close() returned", round).isEmpty();
        spawner.get(T.toMillis(), TimeUnit.MILLISECONDS); // a spawn it raced returns normally
        assertThat(liveDescendantsBut(before)).as("round %d: child JVMs launched after close()", round).isEmpty();
        for (ActorProcess p : system.processes()) {
            assertThat(p.isAlive()).as("round %d: %s alive", round, p).isFalse();
            assertThat(p.exitStatus()).as("round %d: %s", round, p).isPresent();
            if (!killed.contains(p)) {
                assertThat(p.exitStatus().orElseThrow().reason()).as("round %d: %s", round, p).isEqualTo(Reason.TERMINATED);
            }
        }
    }

    private static void joined(ActorProcess p) {
        try {
            assertThat(p.join(T)).as("%s exits once killed", p).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<Long> liveDescendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private static List<String> liveDescendantsBut(Set<Long> before) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> !before.contains(p.pid()))
                .map(p -> p.pid() + " " + p.info().commandLine().map(CloseWhileLaunchingTest::childName).orElse("?")).toList();
    }

    /** Which process a child JVM runs, from its command line; the whole line is long. */
    private static String childName(String commandLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Dprocactor\\.child=\\S+").matcher(commandLine);
        return m.find() ? m.group() : commandLine;
    }

    /** A node-local actor that holds its dispatcher thread until {@link #unblock} opens (or close() interrupts it). */
    public static final class DispatcherBlocker extends Actor {
        @Override
        protected void onReceive(Object message) throws Exception {
            blocking.countDown();
            try {
                unblock.await(T.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the node shuts its dispatcher down
            }
        }
    }
}
