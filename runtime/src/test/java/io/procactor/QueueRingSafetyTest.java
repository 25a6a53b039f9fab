package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.internal.channels.RingCodec;
import io.procactor.internal.channels.ShmRing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A queue's shared-memory ring when things go wrong, in the node's JVM: a take that meets an item
 * it cannot decode loses nothing, a full put says which bound stopped it, and the per-thread
 * scratch does not keep the size of the largest item for ever.
 */
class QueueRingSafetyTest {
    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Duration.ofSeconds(10);
    /** Kryo's class id 1000, which no table registers: what an item of a class this process lacks decodes as. */
    private static final byte[] UNDECODABLE = {(byte) 0xE8, 0x07, 1, 2, 3};
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.builder("qsafe").build();
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    /** Puts a record this process cannot decode straight into the queue's ring, as another process's put would. */
    private static void putUndecodable(ProcessQueue<?> q) {
        ShmRing.Encoded e = new ShmRing.Encoded();
        e.add(UNDECODABLE, UNDECODABLE.length);
        assertThat(q.ring().put(e, System.nanoTime() + TimeUnit.SECONDS.toNanos(10), false)).isNull();
    }

    @Test
    void aTakeOfSeveralThatMeetsAnUndecodableItemLosesNoneAndPutsItBackForAnotherConsumer() throws Exception {
        ProcessQueue<Long> q = system.queue("undecodable", 100, Long.class);
        q.put(1L, SHORT);
        putUndecodable(q);
        q.putAll(List.of(2L, 3L), SHORT);

        assertThat(q.takeUpTo(10, LONG)).as("what decoded before the bad item").containsExactly(1L);
        assertThatThrownBy(() -> q.takeUpTo(10, LONG)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("queue [undecodable] holds an item this process cannot decode (")
                .hasMessageContaining("this take took nothing, and the item went back to the queue's tail for another consumer")
                .hasMessageContaining("Register its class in this process");
        assertThat(q.size()).as("the bad item is back in the queue").isOne();
        assertThat(q.takeUpTo(10, LONG)).as("the items after it, in order, before anything newer").containsExactly(2L, 3L);
        q.put(4L, SHORT);
        assertThatThrownBy(() -> q.take(LONG)).isInstanceOf(IllegalStateException.class);
        assertThat(q.take(LONG)).isEqualTo(4L);
        assertThat(q.size()).isOne();
    }

    @Test
    void aTakeWhoseFirstItemIsUndecodableTookNothingAndTheNextTakeGetsTheRest() throws Exception {
        ProcessQueue<Long> q = system.queue("undecodable-first", 100, Long.class);
        putUndecodable(q);
        q.putAll(List.of(1L, 2L), SHORT);
        assertThatThrownBy(() -> q.takeUpTo(10, LONG)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("took nothing");
        assertThat(q.take(LONG)).isEqualTo(1L);
        assertThat(q.take(LONG)).isEqualTo(2L);
        assertThatThrownBy(() -> q.take(LONG)).isInstanceOf(IllegalStateException.class);
        assertThat(q.size()).isOne();
    }

    @Test
    void concurrentTakesAmongUndecodableItemsTakeEveryGoodItemExactlyOnce() throws Exception {
        int n = 3000;
        int bad = 5;
        ProcessQueue<Long> q = system.queue("undecodable-concurrent", n + bad, Long.class);
        for (long i = 0; i < n; i++) {
            q.put(i, SHORT);
            if (i % (n / bad) == 7) {
                putUndecodable(q);
            }
        }
        java.util.concurrent.ConcurrentLinkedQueue<Long> taken = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> takers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                takers.add(pool.submit(() -> {
                    while (taken.size() < n) {
                        try {
                            taken.addAll(q.takeUpTo(8, SHORT));
                        } catch (IllegalStateException e) {
                            failures.incrementAndGet();
                        } catch (TimeoutException e) {
                            // another taker holds the rest for a moment
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : takers) {
                f.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(taken).doesNotHaveDuplicates().hasSize(n);
        assertThat(failures.get()).isGreaterThanOrEqualTo(bad);
        for (int i = 0; i < 100 && q.ring().hasPending(); i++) { // bad items a take copied after good ones wait here
            assertThatThrownBy(() -> q.take(SHORT)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(q.ring().hasPending()).isFalse();
        assertThat(q.size()).as("the undecodable items are back in the queue").isEqualTo(bad);
    }

    @Test
    void aPutThatFindsNoRoomSaysWhichBoundStoppedIt() throws Exception {
        ProcessQueue<Long> byItems = system.queue("full-items", 2, Long.class);
        byItems.putAll(List.of(1L, 2L), SHORT);
        assertThatThrownBy(() -> byItems.put(3L, SHORT)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("queue [full-items] stayed full for 50 ms (2 of 2 items: consumers did not take)");

        ProcessQueue<byte[]> byBytes = system.queue("full-bytes", 1000, byte[].class); // a 64 KiB ring
        int n = 0;
        while (byBytes.offer(new byte[15_000])) {
            n++;
        }
        int items = n;
        assertThat(items).isLessThan(10);
        assertThatThrownBy(() -> byBytes.put(new byte[15_000], SHORT)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("queue [full-bytes] stayed full for 50 ms (its shared-memory ring was full by bytes, not by items: ")
                .hasMessageContaining(" of 65536 bytes in use, by " + items + " of 1000 items")
                .hasMessageContaining("put smaller items, or create the queue with a larger capacity");
        assertThatThrownBy(() -> byBytes.putAll(List.of(new byte[15_000], new byte[15_000]), SHORT))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("full by bytes, not by items");
    }

    @Test
    void theScratchOfAThreadIsSmallAgainAfterAHugeItem() throws Exception {
        ProcessQueue<byte[]> q = system.queue("huge", 100_000, byte[].class); // a 4 MiB ring: items up to 1 MiB inline
        q.put(new byte[900_000], LONG);
        assertThat(q.take(LONG)).hasSize(900_000);
        q.put(new byte[3_000_000], LONG); // through the host
        assertThat(q.take(LONG)).hasSize(3_000_000);
        assertThat(RingCodec.putScratch().retainedBytes()).isLessThanOrEqualTo(256 << 10);
        assertThat(RingCodec.takeScratch().retainedBytes()).isLessThanOrEqualTo(256 << 10);
    }
}
