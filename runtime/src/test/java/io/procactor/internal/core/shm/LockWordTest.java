package io.procactor.internal.core.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock word, segment checks and handle identity, on segments in a temp directory. */
class LockWordTest {
    private static final long SYSTEM = 42;
    private final SegmentTable table = new SegmentTable(ProcessHandle.current().pid(), "lw", SYSTEM);

    private MappedSegment segment(Path dir, SharedType type, String name) throws Exception {
        Path file = dir.resolve(name);
        return table.add(table.newId(type, name, 1, file.toString(), 7), SegmentFiles.create(file, type, 1, 7));
    }

    @Test
    void aLockWhoseOwnerDiedIsTakenOver(@TempDir Path dir) throws Exception {
        MappedSegment lock = segment(dir, SharedType.LOCK, "l");
        long dead = deadPid();
        lock.setLong(0, LockWord.word(dead, Optional.empty()));

        long t0 = System.nanoTime();
        assertThat(LockWord.lock(lock, TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(System.nanoTime() - t0).as("taken over at the first owner check").isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(LockWord.ownerPid(lock)).isEqualTo(ProcessHandle.current().pid());
        LockWord.unlock(lock);
        assertThat(lock.getLong(0)).isZero();
    }

    @Test
    void aLockWhoseOwnerDiedIsTakenOverByATryLockWithoutWaiting(@TempDir Path dir) throws Exception {
        MappedSegment lock = segment(dir, SharedType.LOCK, "l");
        lock.setLong(0, LockWord.word(deadPid(), Optional.empty()));

        assertThat(LockWord.lock(lock, 0)).as("Python's acquire(block=False) after its holder was killed").isTrue();
        assertThat(LockWord.ownerPid(lock)).isEqualTo(ProcessHandle.current().pid());
        LockWord.unlock(lock);
    }

    @Test
    void aLiveOwnerKeepsItAndAReusedPidDoesNot(@TempDir Path dir) throws Exception {
        MappedSegment lock = segment(dir, SharedType.LOCK, "l");
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        long live = LockWord.word(parent.pid(), parent.info().startInstant());
        assertThat(LockWord.alive(live)).isTrue();
        lock.setLong(0, live);
        assertThat(LockWord.lock(lock, TimeUnit.MILLISECONDS.toNanos(20))).as("a live owner keeps it").isFalse();
        assertThat(LockWord.lock(lock, 0)).as("also from a tryLock that checks its owner").isFalse();

        long reused = LockWord.word(parent.pid(), parent.info().startInstant().map(i -> i.minusSeconds(3600)));
        assertThat(LockWord.alive(reused)).as("same pid, other start time: another process").isFalse();
    }

    @Test
    void aHandleOfAnotherSystemOrAReplacedSegmentIsRefused(@TempDir Path dir) throws Exception {
        MappedSegment mine = segment(dir, SharedType.LONG, "v");
        SegmentId foreign = new SegmentId(1, "other", SYSTEM + 1, SharedType.LONG, "v", 1, mine.id().path(), 7);
        assertThatThrownBy(() -> table.resolve(foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessage("SharedLong [v] of actor system [other] (node pid 1) was passed to a process of another actor "
                        + "system ([lw], node pid " + ProcessHandle.current().pid() + "): shared objects work only in the system "
                        + "that created them; create one in this system (system.sharedLong(...)) and pass that");

        SegmentTable child = new SegmentTable(ProcessHandle.current().pid(), "lw", SYSTEM);
        assertThat(child.resolve(mine.id()).getLong(0)).as("another process maps the same file").isZero();
        SegmentId stale = new SegmentId(mine.id().nodePid(), "lw", SYSTEM, SharedType.LONG, "v", 1, mine.id().path(), 8);
        assertThatThrownBy(() -> new SegmentTable(1, "lw", SYSTEM).resolve(stale)).hasMessageContaining("now holds another object");
        SegmentId missing = new SegmentId(1, "lw", SYSTEM, SharedType.LONG, "gone", 1, dir.resolve("gone").toString(), 7);
        assertThatThrownBy(() -> child.resolve(missing)).hasMessageContaining("SharedLong [gone]")
                .hasMessageContaining("was removed");
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }
}
