package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hosts of queue, pipe, event and managed map, driven through their handles inside the node's
 * JVM (no child process): every rule and every error message, in milliseconds. The cross-process
 * behaviour is {@code ChannelsAcrossProcessesTest}'s.
 */
class ChannelHostsTest {
    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Duration.ofSeconds(10);
    private static ActorSystem system;

    /** Not registered: the node must refuse to hold it, as no child could receive it. */
    record Unregistered(int n) {
    }

    @BeforeAll
    static void start() {
        system = ActorSystem.builder("channels").register(ChannelHostsTest.class).build(); // its lambdas may be map functions
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void queueIsFifoAndBounded() throws Exception {
        ProcessQueue<Integer> q = system.queue("fifo", 3);
        q.put(1, SHORT);
        q.putAll(List.of(2, 3), SHORT);
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.offer(4)).isFalse();
        assertThatThrownBy(() -> q.put(4, SHORT)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("queue [fifo] stayed full for 50 ms");
        assertThat(q.take(SHORT)).isEqualTo(1);
        assertThat(q.takeUpTo(5, SHORT)).containsExactly(2, 3);
        assertThatThrownBy(() -> q.take(SHORT)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("queue [fifo] stayed empty for 50 ms");
        assertThat(q.poll(Duration.ZERO)).isNull();
        assertThatThrownBy(() -> q.putAll(List.of(1, 2, 3, 4), SHORT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 3 items, so a put of 4 can never fit");
    }

    @Test
    void aWaitingPutGoesInWhenATakeMakesRoomAndAWaitingTakeGetsTheNextPut() throws Exception {
        ProcessQueue<String> q = system.queue("waits", 1);
        q.put("a", SHORT);
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> call(() -> q.put("b", LONG)));
        awaitWaiting(q, put);
        assertThat(q.take(SHORT)).isEqualTo("a");
        put.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(q.take(SHORT)).isEqualTo("b");
        CompletableFuture<String> take = CompletableFuture.supplyAsync(() -> call(() -> q.take(LONG)));
        awaitWaiting(q, take);
        q.put("c", SHORT);
        assertThat(take.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("c");
        assertThat(q.size()).isZero();
    }

    @Test
    void aClosedQueueRefusesPutsAndDrainsBeforeItRefusesTakes() throws Exception {
        ProcessQueue<Integer> q = system.queue("closing", 1);
        ProcessQueue<Integer> waitingOnEmpty = system.queue("closing-empty", 1);
        CompletableFuture<Integer> take = CompletableFuture.supplyAsync(() -> call(() -> waitingOnEmpty.take(LONG)));
        q.put(1, SHORT);
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> call(() -> q.put(2, LONG)));
        awaitWaiting(q, put);
        q.close();
        waitingOnEmpty.close();
        assertThatThrownBy(put::join).hasRootCauseInstanceOf(ChannelClosedException.class)
                .rootCause().hasMessageContaining("queue [closing]"); // "was closed while this put waited", unless it came late
        assertThatThrownBy(take::join).hasRootCauseInstanceOf(ChannelClosedException.class)
                .rootCause().hasMessageContaining("queue [closing-empty] is closed and empty");
        assertThatThrownBy(() -> q.put(3, SHORT)).isInstanceOf(ChannelClosedException.class)
                .hasMessage("queue [closing] is closed: nothing more can be put into it");
        assertThat(q.take(SHORT)).isEqualTo(1);
        assertThatThrownBy(() -> q.take(SHORT)).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("closed and empty");
        q.close(); // harmless twice
    }

    @Test
    void anInterruptedTakeStillGetsItsItemAndKeepsTheInterrupt() throws Exception {
        ProcessQueue<String> q = system.queue("interrupted", 1);
        CompletableFuture<String> taken = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(q.take(LONG));
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            } catch (Exception e) {
                taken.completeExceptionally(e);
            }
        });
        taker.start();
        taker.interrupt();
        q.put("x", SHORT);
        assertThat(taken.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("x");
        taker.join(LONG.toMillis());
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void anInterruptedPutKeepsWaitingForRoomAndKeepsTheInterrupt() throws Exception {
        ProcessQueue<String> q = system.queue("interrupted-put", 1);
        q.put("a", SHORT);
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread putter = new Thread(() -> {
            try {
                q.put("b", LONG);
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            } catch (Exception e) {
                stillInterrupted.completeExceptionally(e);
            }
        });
        putter.start();
        putter.interrupt();
        assertThat(q.take(LONG)).isEqualTo("a");
        assertThat(stillInterrupted.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(q.take(LONG)).isEqualTo("b");
        putter.join(LONG.toMillis());
    }

    @Test
    void misuseIsRefusedWithTheObjectsName() {
        ProcessQueue<Long> typed = system.queue("typed", 5, Long.class);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ProcessQueue<Object> raw = (ProcessQueue) typed;
        assertThatThrownBy(() -> raw.put("x", SHORT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue [typed] holds java.lang.Long items, not [java.lang.String] (x); put a Long");
        assertThatThrownBy(() -> typed.put(null, SHORT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot hold null");
        assertThatThrownBy(() -> raw.put(new Unregistered(1), SHORT)).isInstanceOf(IllegalArgumentException.class);
        ProcessQueue<Object> any = system.queue("any", 5);
        assertThatThrownBy(() -> any.put(new Unregistered(1), SHORT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue [any] cannot hold [" + Unregistered.class.getName() + "]")
                .hasMessageContaining("not registered");
        assertThatThrownBy(() -> any.take(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout for queue [any] must be zero or more");
        assertThatThrownBy(() -> system.queue("any", 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a queue named [any] exists already");
        assertThatThrownBy(() -> system.queue("no/slash", 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue name [no/slash] is invalid");
        assertThatThrownBy(() -> system.queue("zero", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity of queue [zero] must be 1 or more, was [0]");
    }

    @Test
    void aHandleOfAnotherSystemIsRefused() {
        try (ActorSystem other = ActorSystem.create("channels-other")) {
            ProcessQueue<Integer> theirs = other.queue("shared-name", 5);
            ProcessQueue<Integer> ours = system.queue("shared-name", 5);
            // what a handle of `other` looks like after it crossed into `system`: our host's ref, their system id
            ProcessQueue<Integer> stray = new ProcessQueue<>("shared-name", 5, null, hostOf(ours), idOf(theirs));
            assertThatThrownBy(stray::size).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queue [shared-name] belongs to another actor system");
        }
    }

    @Test
    void objectsOfAClosedSystemSayTheyAreGoneAndTheirWaitersWakeAtTheClose() {
        ActorSystem closing = ActorSystem.create("channels-closing");
        ProcessEvent e = closing.event("done");
        ProcessQueue<Integer> q = closing.queue("jobs", 1);
        ProcessQueue<Integer> unused = closing.queue("unused", 1);
        CompletableFuture<Integer> take = CompletableFuture.supplyAsync(() -> call(() -> q.take(Duration.ofMinutes(5))));
        awaitWaiting(q, take);
        closing.close();
        assertThatThrownBy(() -> take.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).rootCause()
                .isInstanceOf(ChannelClosedException.class).hasMessageContaining("queue [jobs] is gone"); // closing, or closed if it came late
        long before = System.nanoTime();
        assertThatThrownBy(() -> unused.take(LONG)).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("is gone: its actor system is closed");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("refused at once, not after the take's wait").isLessThan(LONG);
        assertThatThrownBy(() -> unused.put(1, LONG)).isInstanceOf(ChannelClosedException.class).hasMessageContaining("is gone");
        assertThatThrownBy(e::isSet).isInstanceOf(ChannelClosedException.class)
                .hasMessageContaining("event [done] is gone").hasMessageContaining("create it again in a running system");
    }

    @Test
    void pipeCarriesBothWaysInOrderThenEndsTheStream() throws Exception {
        Pipe<String> p = system.pipe();
        p.first().send("a1");
        p.first().send("a2");
        p.second().send("b1");
        assertThat(p.second().recv(LONG)).isEqualTo("a1");
        assertThat(p.first().recv(LONG)).isEqualTo("b1");
        assertThatThrownBy(() -> p.first().recv(SHORT)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("nothing arrived at end 0 of pipe [");
        p.first().close();
        assertThat(p.second().recv(LONG)).isEqualTo("a2");
        assertThatThrownBy(() -> p.second().recv(SHORT)).isInstanceOf(PipeClosedException.class)
                .hasMessageContaining("end of stream at end 1").hasMessageContaining("its end 0 was closed");
        assertThatThrownBy(() -> p.second().send("b2")).isInstanceOf(PipeClosedException.class)
                .hasMessageContaining("the other end of pipe [");
        assertThatThrownBy(() -> p.first().send("a3")).isInstanceOf(ChannelClosedException.class)
                .isNotInstanceOf(PipeClosedException.class).hasMessageContaining("end 0 of pipe [");
    }

    @Test
    void aWaitingRecvGetsEndOfStreamWhenTheOtherEndCloses() throws Exception {
        Pipe<String> p = system.pipe(false);
        CompletableFuture<String> recv = CompletableFuture.supplyAsync(() -> call(() -> p.first().recv(LONG)));
        Thread.onSpinWait();
        p.second().close();
        assertThatThrownBy(recv::join).hasRootCauseInstanceOf(PipeClosedException.class);
        Pipe<String> oneWay = system.pipe(false);
        assertThatThrownBy(() -> oneWay.first().send("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is one-way: end 0 only receives; send at end 1");
        assertThatThrownBy(() -> oneWay.second().recv(SHORT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("end 1 only sends");
    }

    @Test
    void eventWakesWaitersWhenSet() throws Exception {
        ProcessEvent e = system.event("go");
        assertThat(e.isSet()).isFalse();
        assertThat(e.await(SHORT)).isFalse();
        List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(CompletableFuture.supplyAsync(() -> call(() -> e.await(LONG))));
        }
        e.set();
        for (CompletableFuture<Boolean> w : waiters) {
            assertThat(w.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
        assertThat(e.isSet()).isTrue();
        assertThat(e.await(Duration.ZERO)).isTrue();
        e.clear();
        assertThat(e.isSet()).isFalse();
    }

    @Test
    void mapOperationsAreAtomicPerKey() throws Exception {
        ProcessMap<String, Long> m = system.map("counts");
        assertThat(m.put("a", 1L)).isNull();
        assertThat(m.putIfAbsent("a", 5L)).isEqualTo(1L);
        assertThat(m.replace("a", 2L, 3L)).isFalse();
        assertThat(m.replace("a", 1L, 3L)).isTrue();
        assertThat(m.replace("b", null, 7L)).isTrue();
        assertThat(m.get("a")).isEqualTo(3L);
        assertThat(m.keys()).containsExactlyInAnyOrder("a", "b");
        assertThat(m.snapshot()).containsEntry("a", 3L).containsEntry("b", 7L);
        assertThat(m.remove("b")).isEqualTo(7L);
        assertThat(m.size()).isEqualTo(1);
        List<CompletableFuture<Void>> adders = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.runAsync(() -> {
            for (int k = 0; k < 250; k++) {
                m.addAndGet("sum", 1);
            }
        })).toList();
        adders.forEach(CompletableFuture::join);
        assertThat(m.get("sum")).isEqualTo(1000L);
        ProcessMap<String, Object> raw = system.map("mixed");
        raw.put("s", "text");
        assertThatThrownBy(() -> raw.addAndGet("s", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key [s] of map [mixed] holds a java.lang.String (text), not a Long");
        assertThatThrownBy(() -> raw.put("s", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("map [mixed]: value must not be null");
        m.clear();
        assertThat(m.size()).isZero();
    }

    @Test
    void computeAndMergeRunAtomicallyInTheHost() {
        ProcessMap<String, Long> m = system.map("computed");
        assertThat(m.compute("n", v -> v == null ? 1L : v + 1)).isEqualTo(1L);
        List<CompletableFuture<Void>> adders = IntStream.range(0, 4).mapToObj(i -> CompletableFuture.runAsync(() -> {
            for (int k = 0; k < 100; k++) {
                m.compute("n", v -> v + 1);
                m.merge("m", 1L, Long::sum);
            }
        })).toList();
        adders.forEach(CompletableFuture::join);
        assertThat(m.get("n")).isEqualTo(401L);
        assertThat(m.get("m")).isEqualTo(400L);
        assertThat(m.compute("n", v -> null)).isNull();
        assertThat(m.keys()).containsExactly("m");
        assertThatThrownBy(() -> m.compute("m", v -> v / 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the function given to compute of key [m] of map [computed] threw java.lang.ArithmeticException");
        assertThat(m.get("m")).isEqualTo(400L);
        ProcessMap<String, Object> raw = system.map("computed-raw");
        assertThatThrownBy(() -> raw.compute("u", v -> new Unregistered(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returned [io.procactor.ChannelHostsTest$Unregistered], which cannot cross processes");
    }

    /**
     * Gives the operation {@code pending} started a moment to reach the host, and checks it waits
     * there (it cannot finish at once). The host's list of waiters is not observable, so assertions
     * after this accept either order.
     */
    private static void awaitWaiting(ProcessQueue<?> q, CompletableFuture<?> pending) {
        org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(20)).atMost(LONG).until(() -> !pending.isDone() && q.size() >= 0);
    }

    private static ActorRef hostOf(ProcessQueue<?> q) {
        return field(q, "host");
    }

    private static long idOf(ProcessQueue<?> q) {
        return field(q, "system");
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Object o, String name) {
        try {
            var f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return (T) f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    interface Call<T> {
        T run() throws Exception;
    }

    interface VoidCall {
        void run() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static void call(VoidCall c) {
        call(() -> {
            c.run();
            return null;
        });
    }
}
