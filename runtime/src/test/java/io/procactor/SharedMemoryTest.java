package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.internal.core.shm.SegmentFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shared values, arrays and locks within the node's own JVM: no child process. */
class SharedMemoryTest {
    private ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.create("shm-unit", com.typesafe.config.ConfigFactory.parseString("procactor.admin.enabled = off"));
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @AfterAll
    static void noSegmentOutlivesTheTests() throws Exception {
        assertThat(segmentDirsOfThisJvm()).as("shared-memory directories of this JVM left after the systems closed").isEmpty();
    }

    /** What this JVM has under the segment root; used by every test class that makes segments. */
    static List<Path> segmentDirsOfThisJvm() throws Exception {
        Path root = SegmentFiles.root();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(ProcessHandle.current().pid() + "-")).toList();
        }
    }

    @Test
    void valuesUpdateAtomically() {
        SharedLong l = system.sharedLong("l", 40);
        assertThat(l.addAndGet(2)).isEqualTo(42);
        assertThat(l.getAndAdd(1)).isEqualTo(42);
        assertThat(l.incrementAndGet()).isEqualTo(44);
        assertThat(l.compareAndSet(1, 2)).isFalse();
        assertThat(l.compareAndSet(44, 7)).isTrue();
        assertThat(l.get()).isEqualTo(7);

        SharedInt i = system.sharedInt("i", -1);
        assertThat(i.addAndGet(3)).isEqualTo(2);
        i.set(Integer.MAX_VALUE);
        assertThat(i.incrementAndGet()).as("wraps like an int").isEqualTo(Integer.MIN_VALUE);

        SharedDouble d = system.sharedDouble("d", 0.5);
        assertThat(d.addAndGet(0.25)).isEqualTo(0.75);
        assertThat(d.getAndAdd(1)).isEqualTo(0.75);
        assertThat(d.compareAndSet(1.75, -0.0)).isTrue();
        assertThat(d.compareAndSet(0.0, 1)).as("compared bit for bit: 0.0 is not -0.0").isFalse();
        assertThat(l).hasToString("SharedLong[l]").isEqualTo(l).isNotEqualTo(system.sharedLong("l2", 7));
    }

    @Test
    void arraysUpdateElementByElementAndNameBadIndexes() {
        SharedLongArray a = system.sharedLongArray("a", 10);
        assertThat(a.length()).isEqualTo(10);
        a.set(9, 5);
        assertThat(a.addAndGet(9, 1)).isEqualTo(6);
        assertThat(a.compareAndSet(0, 0, 3)).isTrue();
        assertThat(a.toArray()).containsExactly(3, 0, 0, 0, 0, 0, 0, 0, 0, 6);
        assertThatThrownBy(() -> a.get(10)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index [10] is out of bounds for SharedLongArray [a] of length 10; use an index from 0 to 9");
        assertThatThrownBy(() -> a.set(-1, 0)).hasMessageContaining("index [-1]");

        SharedIntArray ints = system.sharedIntArray("ints", 3);
        ints.getAndAdd(2, 7);
        assertThat(ints.toArray()).containsExactly(0, 0, 7);
        SharedDoubleArray ds = system.sharedDoubleArray("ds", 2);
        ds.addAndGet(1, 1.5);
        assertThat(ds.toArray()).containsExactly(0.0, 1.5);
    }

    @Test
    void badNamesAndLengthsAreRefused() {
        system.sharedLong("counter", 0);
        assertThatThrownBy(() -> system.sharedLong("counter", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has a SharedLong named [counter] already");
        system.sharedInt("counter", 0); // another type, another file
        assertThatThrownBy(() -> system.sharedLongArray("a", -1)).hasMessageContaining("length [-1] is out of range");
        SharedLongArray empty = system.sharedLongArray("empty", 0); // Python's Array('q', 0)
        assertThat(empty.length()).isZero();
        assertThat(empty.toArray()).isEmpty();
        assertThatThrownBy(() -> empty.get(0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index [0]");
        assertThatThrownBy(() -> system.lock("../x")).hasMessageContaining("SharedLock name [../x] is invalid");
    }

    @Test
    void segmentsArePrivateAndGoWhenTheSystemCloses() throws Exception {
        SharedLong v = system.sharedLong("v", 1);
        SharedLock lock = system.lock("lock");
        List<Path> dirs = segmentDirsOfThisJvm();
        assertThat(dirs).hasSize(1);
        Path dir = dirs.get(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> {
                try {
                    return f.getFileName() + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).containsExactlyInAnyOrder("v.long rw-------", "lock.lock rw-------");
        }

        system.close();

        assertThat(dir).doesNotExist();
        assertThatThrownBy(v::get).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("SharedLong [v] of actor system [shm-unit] (node pid " + system.pid() + ") is closed")
                .hasMessageContaining("create a new one in a running system");
        assertThatThrownBy(lock::tryLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> system.sharedLong("late", 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("actor system [shm-unit] is closed");
    }

    @Test
    void aLockExcludesOtherThreadsAndOnlyItsHolderUnlocksIt() throws Exception {
        SharedLock lock = system.lock("l");
        try (SharedLock.Held held = lock.lock(Duration.ofSeconds(5))) {
            assertThat(lock.isLocked()).isTrue();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            assertThatThrownBy(() -> lock.lock(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("held by this thread already; it is not reentrant");
            CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> {
                assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class)
                        .hasMessageContaining("SharedLock [l] of actor system [shm-unit]")
                        .hasMessageContaining("this one, holds it on another thread");
                assertThat(lock.tryLock()).isFalse();
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> lock.lock(Duration.ofMillis(50))).isInstanceOf(LockTimeoutException.class)
                        .hasMessageContaining("SharedLock [l] was not free within 50 ms; process " + system.pid() + " holds it");
                assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
                // closing the holder's Held here fails, and must not use up the holder's own close
                assertThatThrownBy(held::close).isInstanceOf(IllegalMonitorStateException.class);
                return null;
            });
            other.get(10, TimeUnit.SECONDS);
            held.close();
            held.close(); // once only
            assertThat(lock.isLocked()).isFalse();
        }
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("nobody holds it");
    }

    @Test
    void aLockTakesAWaitOfAnyLengthAndRefusesANegativeOneByName() {
        SharedLock lock = system.lock("forever");
        assertThat(lock.tryLock(Duration.ofSeconds(Long.MAX_VALUE))).as("free: taken at once, no overflow").isTrue();
        lock.unlock();
        assertThatThrownBy(() -> lock.tryLock(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SharedLock [forever]").hasMessageContaining("must be zero or more");
        assertThatThrownBy(() -> lock.tryLock(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Duration.ofSeconds");
    }

    @Test
    void aWaiterGetsTheLockWhenItIsReleased() throws Exception {
        SharedLock lock = system.lock("handover");
        SharedLong counter = system.sharedLong("counter", 0);
        int threads = 4;
        int rounds = 2000;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = Stream.generate(() -> CompletableFuture.runAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            for (int r = 0; r < rounds; r++) {
                try (SharedLock.Held held = lock.lock(Duration.ofSeconds(30))) {
                    counter.set(counter.get() + 1); // read, add, write: safe only under the lock
                }
            }
        }, java.util.concurrent.Executors.newSingleThreadExecutor())).limit(threads).toList();
        go.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(counter.get()).isEqualTo((long) threads * rounds);
    }
}
