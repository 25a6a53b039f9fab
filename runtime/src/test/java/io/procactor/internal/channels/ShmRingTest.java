package io.procactor.internal.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ring's records, bounds and locks, in one JVM on a direct buffer (what a mapped segment is). */
class ShmRingTest {
    private static final int SIZE = 1 << 16;

    private static ShmRing ring(int capacity) {
        ByteBuffer buf = ByteBuffer.allocateDirect(ShmRing.bytesFor(SIZE)).order(ByteOrder.nativeOrder());
        return new ShmRing(buf, 0, SIZE, capacity, null);
    }

    private static ShmRing.Encoded items(byte[]... payloads) {
        ShmRing.Encoded e = new ShmRing.Encoded();
        for (byte[] p : payloads) {
            e.add(p, p.length);
        }
        return e;
    }

    @Test
    void recordsOfEveryLengthWrapAroundTheRingManyTimesInOrder() {
        ShmRing ring = ring(Integer.MAX_VALUE);
        Random random = new Random(12);
        ArrayDeque<byte[]> expected = new ArrayDeque<>();
        ShmRing.Encoded out = new ShmRing.Encoded();
        long written = 0;
        while (written < 40L * SIZE) {
            byte[] p = new byte[1 + random.nextInt(ring.maxInline())];
            random.nextBytes(p);
            if (ring.tryWrite(items(p))) {
                expected.add(p);
                written += p.length;
            } else { // full: read some back
                int n = ring.read(1 + random.nextInt(8), out);
                assertThat(n).isPositive();
                for (int i = 0; i < n; i++) {
                    byte[] got = Arrays.copyOfRange(out.bytes, out.offsets[i], out.offsets[i] + out.length(i));
                    assertThat(got).isEqualTo(expected.poll());
                }
            }
            assertThat(ring.count()).isEqualTo(expected.size());
        }
        while (!expected.isEmpty()) {
            assertThat(ring.read(1, out)).isOne();
            assertThat(out.item(0).remaining()).isEqualTo(expected.poll().length);
        }
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.read(5, out)).isZero();
    }

    @Test
    void aWriteFitsWholeOrNotAtAllByCountAndByBytes() {
        ShmRing byCount = ring(3);
        assertThat(byCount.tryWrite(items(new byte[1], new byte[1]))).isTrue();
        assertThat(byCount.tryWrite(items(new byte[1], new byte[1]))).as("2 + 2 > 3 items").isFalse();
        assertThat(byCount.count()).isEqualTo(2);
        assertThat(byCount.tryWrite(items(new byte[1]))).isTrue();
        assertThat(byCount.mightFit(1, 8)).isFalse();

        ShmRing byBytes = ring(Integer.MAX_VALUE);
        byte[] quarter = new byte[SIZE / 4 - 8];
        assertThat(byBytes.tryWrite(items(quarter, quarter, quarter, quarter))).isTrue();
        assertThat(byBytes.tryWrite(items(new byte[1]))).as("the ring's bytes are full").isFalse();
        assertThat(byBytes.read(1, new ShmRing.Encoded())).isOne();
        assertThat(byBytes.tryWrite(items(new byte[1]))).isTrue();
    }

    @Test
    void aSpilledItemTravelsAsItsId() {
        ShmRing ring = ring(10);
        ShmRing.Encoded in = items("small".getBytes(), new byte[SIZE]);
        in.spill(1, 77);
        assertThat(ring.tryWrite(in)).as("the big one takes 16 bytes as a spill").isTrue();
        ShmRing.Encoded out = new ShmRing.Encoded();
        assertThat(ring.read(5, out)).isEqualTo(2);
        assertThat(out.spillId(0)).isZero();
        assertThat(new String(out.bytes, out.offsets[0], out.length(0))).isEqualTo("small");
        assertThat(out.spillId(1)).isEqualTo(77);
    }

    @Test
    void theSpillIdsInTheRingAreThoseOfUnreadRecords() {
        ShmRing ring = ring(10);
        ShmRing.Encoded in = items("a".getBytes(), new byte[8], "b".getBytes(), new byte[8]);
        in.spill(1, 5);
        in.spill(3, 6);
        assertThat(ring.tryWrite(in)).isTrue();
        java.util.List<Long> ids = new java.util.ArrayList<>();
        ring.spillIds(ids::add);
        assertThat(ids).containsExactly(5L, 6L);
        assertThat(ring.read(2, new ShmRing.Encoded())).isEqualTo(2);
        ids.clear();
        ring.spillIds(ids::add);
        assertThat(ids).containsExactly(6L);
    }

    @Test
    void aScratchThatGrewPastItsBoundIsSmallAgainAfterUse() {
        ShmRing.Encoded e = items(new byte[ShmRing.Encoded.KEEP_BYTES * 4]);
        assertThat(e.retainedBytes()).isGreaterThan(ShmRing.Encoded.KEEP_BYTES);
        e.release();
        assertThat(e.retainedBytes()).isLessThanOrEqualTo(ShmRing.Encoded.KEEP_BYTES);
        assertThat(e.count()).isZero();
        ShmRing.Encoded small = items(new byte[1000]);
        byte[] kept = small.bytes;
        small.release();
        assertThat(small.bytes).as("a modest one is kept for the next use").isSameAs(kept);
    }

    @Test
    void aLockWordOfADeadProcessIsTakenOverAndALiveOneIsNot() throws Exception {
        ShmRing ring = ring(10);
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ByteBuffer buf = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        ShmLock lock = new ShmLock(buf, 0);
        buf.putLong(0, p.pid() << 32); // held by a process that is gone
        long t0 = System.nanoTime();
        assertThat(lock.lock(t0 + TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(lock.ownerPid()).isEqualTo(ProcessHandle.current().pid());
        lock.unlock();
        assertThat(lock.ownerPid()).isZero();

        ShmLock polled = new ShmLock(buf, 0);
        buf.putLong(0, p.pid() << 32);
        assertThat(polled.lock(System.nanoTime())).as("a wait of zero (Python's get_nowait) takes a dead holder's lock too").isTrue();
        polled.unlock();

        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        buf.putLong(0, parent.pid() << 32); // held by a live process (start stamp unknown: 0)
        assertThat(lock.lock(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(new ShmLock(buf, 0).lock(System.nanoTime())).isFalse();
        assertThat(ring.producers.lock(System.nanoTime())).as("the ring's own lock is free").isTrue();
        ring.producers.unlock();
    }
}
