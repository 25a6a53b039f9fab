package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Shared values and locks used by several child JVMs at once, a holder SIGKILLed, and misuse. */
@SpawnsJvms
@ExtendWith(NoLeftoverProcesses.class)
class SharedMemoryAcrossProcessesTest {
    private static final Duration WAIT = Timeouts.seconds(60);
    private static ActorSystem system;
    private static List<ActorRef> workers;

    /** Add 1 to each of them {@code n} times, atomically. */
    public record Add(SharedLong total, SharedIntArray slots, SharedDouble sum, int n) {
    }

    /** Under the lock, read the counter and write it back plus one, {@code n} times. */
    public record Locked(SharedLock lock, SharedLong counter, int n) {
    }

    /** Take the lock and never give it back; set {@code holding} once held. */
    public record Hold(SharedLock lock, SharedInt holding) {
    }

    public record Unlock(SharedLock lock) {
    }

    /** Reply with its value, then with the handle itself. */
    public record Read(SharedLong value) {
    }

    public static final class Worker extends Actor {
        @Override
        protected void onReceive(Object m) {
            if (m instanceof Add a) {
                for (int i = 0; i < a.n(); i++) {
                    a.total().incrementAndGet();
                    a.slots().getAndAdd(i % a.slots().length(), 1);
                    a.sum().addAndGet(1.0);
                }
                reply(a.n());
            } else if (m instanceof Locked l) {
                for (int i = 0; i < l.n(); i++) {
                    try (SharedLock.Held held = l.lock().lock(Duration.ofMinutes(1))) {
                        l.counter().set(l.counter().get() + 1); // read, add, write: a lost update without the lock
                    }
                }
                reply(l.n());
            } else if (m instanceof Hold h) {
                h.lock().lock(Duration.ofMinutes(1)); // held until this process is killed
                h.holding().set(1);
                reply("holding");
            } else if (m instanceof Unlock u) {
                u.lock().unlock();
                reply("unlocked");
            } else if (m instanceof Read r) {
                reply(List.of(r.value().get(), r.value()));
            } else if ("ping".equals(m)) {
                reply("pong");
            } else {
                unhandled(m);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        system = ActorSystem.builder("shm-procs").register(Add.class, Locked.class, Hold.class, Unlock.class, Read.class).build();
        workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(system.spawnProcess(Props.create(Worker.class), "worker-" + i).ref());
        }
        for (ActorRef w : workers) {
            assertThat(w.<String>ask("ping", WAIT).get()).isEqualTo("pong");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        system.close();
        assertThat(SharedMemoryTest.segmentDirsOfThisJvm()).as("segments left after the system closed").isEmpty();
    }

    @Test
    void atomicAddsFromSeveralProcessesSumExactly() throws Exception {
        SharedLong total = system.sharedLong("total", 0);
        SharedIntArray slots = system.sharedIntArray("slots", 4);
        SharedDouble sum = system.sharedDouble("sum", 0);
        int n = 100_000;
        List<CompletableFuture<Object>> done = new ArrayList<>();
        for (ActorRef w : workers) {
            done.add(w.ask(new Add(total, slots, sum, n), WAIT));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();

        assertThat(total.get()).isEqualTo(3L * n);
        assertThat(slots.toArray()).containsExactly(3 * n / 4, 3 * n / 4, 3 * n / 4, 3 * n / 4);
        assertThat(sum.get()).isEqualTo(3.0 * n);
    }

    @Test
    void lockedCompoundUpdatesLoseNothingEvenWhenAHolderIsKilled() throws Exception {
        SharedLock lock = system.lock("lock");
        SharedLong counter = system.sharedLong("counter", 0);
        SharedInt holding = system.sharedInt("holding", 0);
        ActorProcess victim = system.spawnProcess(Props.create(Worker.class), "victim");
        assertThat(victim.ref().<String>ask(new Hold(lock, holding), WAIT).get()).isEqualTo("holding");
        assertThat(lock.tryLock()).as("the victim holds it").isFalse();

        int n = 3_000;
        List<CompletableFuture<Object>> done = new ArrayList<>();
        for (ActorRef w : workers) {
            done.add(w.ask(new Locked(lock, counter, n), WAIT)); // they wait for the victim's lock
        }
        assertThat(counter.get()).isZero();
        victim.kill(); // SIGKILL while holding: no unlock ever comes
        assertThat(victim.join(WAIT)).isTrue();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();

        assertThat(counter.get()).as("every completed critical section counted, none lost").isEqualTo(3L * n);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void misuseIsRefusedWithAClearError() throws Exception {
        SharedLock lock = system.lock("mine");
        ActorRef w = workers.get(0);
        try (SharedLock.Held held = lock.lock(WAIT)) {
            assertThatThrownBy(() -> w.ask(new Unlock(lock), WAIT).get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RemoteActorException.class)
                    .hasMessageContaining("java.lang.IllegalMonitorStateException")
                    .hasMessageContaining("SharedLock [mine] of actor system [shm-procs]")
                    .hasMessageContaining("process " + system.pid() + " holds it");
        }

        SharedLong here = system.sharedLong("here", 7);
        List<Object> back = w.<List<Object>>ask(new Read(here), WAIT).get();
        assertThat(back.get(0)).isEqualTo(7L);
        assertThat(back.get(1)).as("a handle that comes back is the same value").isEqualTo(here);
        ((SharedLong) back.get(1)).incrementAndGet();
        assertThat(here.get()).isEqualTo(8);

        try (ActorSystem other = ActorSystem.create("shm-other", com.typesafe.config.ConfigFactory.parseString(
                "procactor.admin.enabled = off"))) {
            SharedLong foreign = other.sharedLong("x", 5);
            assertThatThrownBy(() -> w.ask(new Read(foreign), WAIT).get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RemoteActorException.class)
                    .hasMessageContaining("SharedLong [x] of actor system [shm-other]")
                    .hasMessageContaining("was passed to a process of another actor system ([shm-procs]")
                    .hasMessageContaining("create one in this system (system.sharedLong(...)) and pass that");
        }
    }

    @Test
    void aStartingNodeSweepsTheSegmentsOfANodeThatDied() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path root = io.procactor.internal.core.shm.SegmentFiles.root();
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path dead = Files.createDirectory(root.resolve(p.pid() + "-123"));
        Files.createFile(dead.resolve("counter.long"));
        Path live = Files.createDirectory(root.resolve(ProcessHandle.current().pid() + "-456"));
        try (ActorSystem swept = ActorSystem.create("shm-sweep", com.typesafe.config.ConfigFactory.parseString(
                "procactor.admin.enabled = off"))) {
            assertThat(dead).doesNotExist();
            assertThat(live).as("a live node's segments stay").exists();
        } finally {
            Files.deleteIfExists(live);
        }
    }
}
