package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.testkit.NoLeftoverProcesses;
import io.procactor.testkit.SpawnsJvms;
import io.procactor.testkit.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Queue, pipe, event and managed map used from real child JVMs: four worker processes started
 * once share the tests; the pipe tests kill or close a process of their own.
 */
@ExtendWith(NoLeftoverProcesses.class)
@SpawnsJvms
class ChannelsAcrossProcessesTest {
    private static final Duration T = Timeouts.seconds(30);
    private static final int WORKERS = 4;
    private static ActorSystem system;
    private static final List<ActorProcess> workers = new ArrayList<>();

    /** Put {@code count} ints from {@code from}, one by one or in batches of 10. */
    public record Produce(ProcessQueue<Integer> q, int from, int count, boolean batched) {
    }

    /** Take until the queue is closed, one by one or up to 8 at a time; reply with what was taken. */
    public record Consume(ProcessQueue<Integer> q, boolean batched) {
    }

    /** One take with {@code millis} to wait; reply with the item or the exception's class and message. */
    public record TakeOnce(ProcessQueue<Integer> q, long millis) {
    }

    /** Take {@code count} items one by one; reply with them (the rest of this process's lease stays here). */
    public record TakeSome(ProcessQueue<Integer> q, int count) {
    }

    /** One put with {@code millis} to wait; reply "put" or the exception's class and message. */
    public record PutOnce(ProcessQueue<Integer> q, int item, long millis) {
    }

    /** Wait for the event; reply with await's result. */
    public record AwaitEvent(ProcessEvent e) {
    }

    /** addAndGet(key, 1) {@code times} times, and as often a compare-and-set increment of {@code key + "-cas"}. */
    public record Add(ProcessMap<String, Long> m, String key, int times) {
    }

    /** Send {@code item} through {@code end}, then close it if asked. */
    public record Send(PipeEnd<String> end, String item, boolean close) {
    }

    /** Send every item through {@code end}, in order. */
    public record SendAll(PipeEnd<String> end, List<String> items) {
    }

    /** Put every item with {@code millis} to wait each; reply "put N" or "<exception> at <index>: <message>". */
    public record PutTexts(ProcessQueue<String> q, List<String> items, long millis) {
    }

    /** Take the queue's consumer lock and keep it, as a consumer killed inside a take; reply this process's pid. */
    public record HoldConsumerLock(ProcessQueue<Integer> q) {
    }

    /** Wait in a take for {@code millis} on an empty queue (or, for a baseline, park); reply the CPU nanoseconds this process used meanwhile. */
    public record IdleTake(ProcessQueue<Integer> q, long millis, boolean baseline) {
    }

    /** Does what each message above says, in its child JVM, and replies. */
    public static final class Worker extends Actor {
        @Override
        protected void onReceive(Object message) throws Exception {
            if (message instanceof Produce p) {
                if (p.batched()) {
                    for (int i = 0; i < p.count(); i += 10) {
                        p.q().putAll(IntStream.range(p.from() + i, p.from() + Math.min(p.count(), i + 10)).boxed().toList(), T);
                    }
                } else {
                    for (int i = 0; i < p.count(); i++) {
                        p.q().put(p.from() + i, T);
                    }
                }
                reply("produced");
            } else if (message instanceof Consume c) {
                ArrayList<Integer> got = new ArrayList<>();
                try {
                    while (true) {
                        if (c.batched()) {
                            got.addAll(c.q().takeUpTo(8, T));
                        } else {
                            got.add(c.q().take(T));
                        }
                    }
                } catch (ChannelClosedException e) {
                    reply(got);
                }
            } else if (message instanceof TakeOnce t) {
                try {
                    reply(String.valueOf(t.q().take(Duration.ofMillis(t.millis()))));
                } catch (TimeoutException | ChannelClosedException e) {
                    reply(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            } else if (message instanceof TakeSome t) {
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < t.count(); i++) {
                    got.add(t.q().take(T));
                }
                reply(got);
            } else if (message instanceof PutOnce p) {
                try {
                    p.q().put(p.item(), Duration.ofMillis(p.millis()));
                    reply("put");
                } catch (TimeoutException | ChannelClosedException e) {
                    reply(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            } else if (message instanceof AwaitEvent a) {
                reply(a.e().await(T));
            } else if (message instanceof Add a) {
                for (int i = 0; i < a.times(); i++) {
                    a.m().addAndGet(a.key(), 1);
                    String cas = a.key() + "-cas";
                    Long old;
                    do {
                        old = a.m().get(cas);
                    } while (!a.m().replace(cas, old, old == null ? 1L : old + 1));
                }
                reply("added");
            } else if (message instanceof SendAll s) {
                for (String item : s.items()) {
                    s.end().send(item);
                }
                reply("sent");
            } else if (message instanceof PutTexts p) {
                int i = 0;
                try {
                    for (; i < p.items().size(); i++) {
                        p.q().put(p.items().get(i), Duration.ofMillis(p.millis()));
                    }
                    reply("put " + i);
                } catch (TimeoutException | ChannelClosedException e) {
                    reply(e.getClass().getSimpleName() + " at " + i + ": " + e.getMessage());
                }
            } else if (message instanceof HoldConsumerLock h) {
                h.q().ring().holdConsumerLockForever();
                reply(ProcessHandle.current().pid());
            } else if (message instanceof IdleTake t) {
                long cpu0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
                if (t.baseline()) {
                    long until = System.nanoTime() + t.millis() * 1_000_000;
                    while (System.nanoTime() < until) {
                        java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
                    }
                } else {
                    try {
                        t.q().take(Duration.ofMillis(t.millis()));
                    } catch (TimeoutException expected) {
                        // the point: it waited the whole time
                    }
                }
                reply(ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - cpu0);
            } else if (message instanceof Send s) {
                s.end().send(s.item());
                if (s.close()) {
                    s.end().close();
                }
                reply("sent");
            } else {
                unhandled(message);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        system = ActorSystem.builder("channels-jvm")
                .register(Produce.class, Consume.class, TakeOnce.class, TakeSome.class, PutOnce.class, AwaitEvent.class, Add.class,
                        Send.class, SendAll.class, PutTexts.class, HoldConsumerLock.class, IdleTake.class)
                .build();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(system.spawnProcess(Props.create(Worker.class), "worker-" + i));
        }
        for (ActorProcess w : workers) {
            w.ready().get(T.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static <T> CompletableFuture<T> ask(ActorProcess p, Object message) {
        return p.ref().ask(message, T.multipliedBy(2));
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(T.toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    @Test
    void twoProducersAndTwoConsumersInFourJvmsMoveEveryItemExactlyOnce() throws Exception {
        int perProducer = 1500;
        ProcessQueue<Integer> q = system.queue("exactly-once", 16, Integer.class);
        CompletableFuture<List<Integer>> c1 = ask(workers.get(2), new Consume(q, false));
        CompletableFuture<List<Integer>> c2 = ask(workers.get(3), new Consume(q, true));
        CompletableFuture<String> p1 = ask(workers.get(0), new Produce(q, 0, perProducer, false));
        CompletableFuture<String> p2 = ask(workers.get(1), new Produce(q, perProducer, perProducer, true));
        assertThat(get(p1)).isEqualTo("produced");
        assertThat(get(p2)).isEqualTo("produced");
        q.close();
        List<Integer> all = new ArrayList<>(get(c1));
        List<Integer> second = get(c2);
        all.addAll(second);
        assertThat(all).hasSize(2 * perProducer);
        assertThat(new HashSet<>(all)).hasSize(2 * perProducer)
                .isEqualTo(Set.copyOf(IntStream.range(0, 2 * perProducer).boxed().toList()));
        assertThat(get(c1)).isNotEmpty();
        assertThat(second).isNotEmpty();
        // each producer's items are taken in the order it put them
        assertThat(get(c1).stream().filter(i -> i < perProducer).toList()).isSorted();
    }

    /**
     * Exactly once with a consumer SIGKILLed mid-run: items stay in the queue (shared memory) until
     * a take returns them, so the killed process had taken exactly what its takes returned, and the
     * others take every other item exactly once.
     */
    @Test
    void aConsumerKilledMidRunHadTakenOnlyWhatItsTakesReturned() throws Exception {
        int perProducer = 1000;
        ProcessQueue<Integer> q = system.queue("killed-consumer", 2 * perProducer, Integer.class);
        assertThat(this.<String>get(ask(workers.get(0), new Produce(q, 0, perProducer, false)))).isEqualTo("produced");
        assertThat(this.<String>get(ask(workers.get(1), new Produce(q, perProducer, perProducer, true)))).isEqualTo("produced");
        assertThat(q.size()).as("a put returns once its item is in the queue").isEqualTo(2 * perProducer);
        ActorProcess victim = system.spawnProcess(Props.create(Worker.class), "victim");
        List<Integer> victimTook = get(ask(victim, new TakeSome(q, 5)));
        assertThat(q.size()).as("nothing is leased to a consumer beyond what it took").isEqualTo(2 * perProducer - 5);
        victim.kill();
        assertThat(victim.join(T)).isTrue();
        CompletableFuture<List<Integer>> c1 = ask(workers.get(2), new Consume(q, false));
        CompletableFuture<List<Integer>> c2 = ask(workers.get(3), new Consume(q, true));
        q.close();
        List<Integer> live = new ArrayList<>(get(c1));
        live.addAll(get(c2));
        assertThat(live).doesNotHaveDuplicates().hasSize(2 * perProducer - 5).doesNotContainAnyElementsOf(victimTook);
        Set<Integer> all = new HashSet<>(live);
        all.addAll(victimTook);
        assertThat(all).isEqualTo(Set.copyOf(IntStream.range(0, 2 * perProducer).boxed().toList()));
    }

    @Test
    void aConsumerSigkilledWhileHoldingTheConsumerLockDoesNotBlockTheQueue() throws Exception {
        ProcessQueue<Integer> q = system.queue("lock-holder", 100, Integer.class);
        for (int i = 0; i < 10; i++) {
            q.put(i, T);
        }
        ActorProcess holder = system.spawnProcess(Props.create(Worker.class), "lock-holder");
        long pid = this.<Long>get(ask(holder, new HoldConsumerLock(q)));
        assertThat(q.ring().consumerLockOwner()).isEqualTo(pid);
        assertThatThrownBy(() -> q.take(Duration.ofMillis(200))).as("a live holder keeps the lock")
                .isInstanceOf(TimeoutException.class);
        holder.kill();
        assertThat(holder.join(T)).isTrue();
        CompletableFuture<List<Integer>> taker = ask(workers.get(2), new TakeSome(q, 10));
        assertThat(get(taker)).as("a taker takes the dead holder's lock over").containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(q.ring().consumerLockOwner()).isZero();
    }

    @Test
    void aPutWaitsWhileTheRingsBytesAreFullAndItemsTooBigForItGoThroughTheHostInOrder() throws Exception {
        ProcessQueue<String> q = system.queue("bytes-full", 1000, String.class); // a 64 KiB ring, items up to 16 KiB in it
        String tenK = "x".repeat(10_000);
        String reply = get(ask(workers.get(0), new PutTexts(q, new ArrayList<>(java.util.Collections.nCopies(20, tenK)), 100)));
        assertThat(reply).matches("TimeoutException at \\d+: queue \\[bytes-full\\] stayed full for 100 ms.*");
        int fitted = q.size();
        assertThat(fitted).isBetween(3, 7);
        assertThat(q.take(T)).isEqualTo(tenK);
        assertThat(this.<String>get(ask(workers.get(0), new PutTexts(q, List.of("after"), T.toMillis())))).isEqualTo("put 1");
        for (int i = 1; i < fitted; i++) {
            assertThat(q.take(T)).isEqualTo(tenK);
        }
        assertThat(q.take(T)).isEqualTo("after");

        String big = "b".repeat(200_000) + "!"; // too big for the ring: the host keeps it, its place in line stays
        assertThat(this.<String>get(ask(workers.get(1), new PutTexts(q, List.of("first", big, "last"), T.toMillis()))))
                .isEqualTo("put 3");
        assertThat(q.takeUpTo(3, T)).containsExactly("first", big, "last");

        Pipe<String> pipe = system.pipe();
        assertThat(this.<String>get(ask(workers.get(1), new SendAll(pipe.second(), List.of("a", big, "z"))))).isEqualTo("sent");
        assertThat(List.of(pipe.first().recv(T), pipe.first().recv(T), pipe.first().recv(T))).containsExactly("a", big, "z");
        pipe.first().close();
    }

    @Test
    void aProducerKilledAfterSpillingAndBeforeWritingItsIdLeavesNothingInTheHostForLong() throws Exception {
        System.setProperty("procactor.test.spill-grace-ms", "300"); // read by the hosts when they suspect a spill
        try {
            spillsOfADeadProducer();
        } finally {
            System.clearProperty("procactor.test.spill-grace-ms");
        }
    }

    private void spillsOfADeadProducer() throws Exception {
        ProcessQueue<String> full = system.queue("spill-full", 1, String.class);
        ProcessQueue<String> open = system.queue("spill-open", 10, String.class);
        full.put("first", T);
        String big = "s".repeat(200_000); // too big for the 64 KiB ring: the host keeps it
        ActorProcess producer = system.spawnProcess(Props.create(Worker.class), "spiller");
        assertThat(this.<String>get(ask(producer, new PutTexts(open, List.of(big), T.toMillis())))).isEqualTo("put 1");
        ask(producer, new PutTexts(full, List.of(big + "!"), T.toMillis())); // spills, then waits for room
        org.awaitility.Awaitility.await().atMost(T).until(() -> full.spilledCount() == 1);
        producer.kill();
        assertThat(producer.join(T)).isTrue();
        org.awaitility.Awaitility.await().atMost(T).until(() -> full.spilledCount() == 0);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(600)).atMost(T).until(() -> open.spilledCount() == 1);
        assertThat(open.take(T)).as("a spill its dead producer wrote into the ring stays for its consumer").isEqualTo(big);
        assertThat(open.spilledCount()).isZero();
        assertThat(full.takeUpTo(5, T)).containsExactly("first");
    }

    @Test
    void aTakeThatWaitsLongCostsAlmostNoCpu() throws Exception {
        ProcessQueue<Integer> q = system.queue("idle", 10, Integer.class);
        long millis = 2000;
        this.<Long>get(ask(workers.get(3), new IdleTake(q, 300, false))); // maps the ring, loads and compiles the code
        long baseline = this.<Long>get(ask(workers.get(3), new IdleTake(q, millis, true)));
        long cpuNanos = this.<Long>get(ask(workers.get(3), new IdleTake(q, millis, false)));
        // spinning would cost the whole 2 s; the backoff parks up to 10 ms at a time
        assertThat(cpuNanos).as("CPU used by the waiting process in %d ms", millis).isLessThan(millis * 1_000_000 / 10);
        System.out.printf("idle take: %.1f ms CPU in %d ms (the same process parked: %.1f ms)%n", cpuNanos / 1e6, millis,
                baseline / 1e6);
    }

    @Test
    void aPutInAChildTimesOutWhenNoRoomIsGrantedAndGoesInOnceATakeMakesRoom() throws Exception {
        ProcessQueue<Integer> q = system.queue("full-for-child", 2, Integer.class);
        assertThat(this.<String>get(ask(workers.get(0), new PutOnce(q, 1, 100)))).isEqualTo("put");
        assertThat(this.<String>get(ask(workers.get(0), new PutOnce(q, 2, 100)))).isEqualTo("put");
        assertThat(this.<String>get(ask(workers.get(0), new PutOnce(q, 3, 100))))
                .startsWith("TimeoutException: queue [full-for-child] stayed full for 100 ms");
        assertThat(q.take(T)).isEqualTo(1);
        assertThat(this.<String>get(ask(workers.get(0), new PutOnce(q, 3, T.toMillis())))).isEqualTo("put");
        List<Integer> rest = new ArrayList<>(q.takeUpTo(5, T));
        if (rest.size() < 2) {
            rest.addAll(q.takeUpTo(5, T));
        }
        assertThat(rest).containsExactly(2, 3);
        q.close();
        assertThat(this.<String>get(ask(workers.get(0), new PutOnce(q, 4, 100))))
                .isEqualTo("ChannelClosedException: queue [full-for-child] is closed: nothing more can be put into it");
    }

    @Test
    void aTakeInAChildTimesOutThenSeesTheCloseWithClearMessages() throws Exception {
        ProcessQueue<Integer> q = system.queue("child-timeouts", 4);
        assertThat(this.<String>get(ask(workers.get(0), new TakeOnce(q, 100))))
                .isEqualTo("TimeoutException: queue [child-timeouts] stayed empty for 100 ms");
        q.put(7, T);
        q.close();
        assertThat(this.<String>get(ask(workers.get(0), new TakeOnce(q, 100)))).isEqualTo("7");
        assertThat(this.<String>get(ask(workers.get(0), new TakeOnce(q, 100))))
                .isEqualTo("ChannelClosedException: queue [child-timeouts] is closed and empty: nothing more will come");
    }

    @Test
    void anEventWakesWaitersInOtherProcesses() throws Exception {
        ProcessEvent e = system.event("wake");
        List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
        for (ActorProcess w : workers) {
            waiting.add(ask(w, new AwaitEvent(e)));
        }
        long setAt = System.nanoTime();
        e.set();
        for (CompletableFuture<Boolean> f : waiting) {
            assertThat(get(f)).as("await in a child returns true: woken by set, not by its %s timeout", T).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - setAt)).isLessThan(T.dividedBy(2));
    }

    @Test
    void atomicIncrementsFromSeveralProcessesSumExactly() throws Exception {
        ProcessMap<String, Long> m = system.map("counters");
        List<CompletableFuture<String>> adding = new ArrayList<>();
        for (ActorProcess w : workers) {
            adding.add(ask(w, new Add(m, "n", 300)));
        }
        for (CompletableFuture<String> f : adding) {
            assertThat(get(f)).isEqualTo("added");
        }
        assertThat(m.get("n")).isEqualTo(WORKERS * 300L);
        assertThat(m.get("n-cas")).isEqualTo(WORKERS * 300L);
    }

    @Test
    void theOtherEndSeesEndOfStreamWhenItsProcessIsKilledAndWhenItIsClosed() throws Exception {
        Pipe<String> killed = system.pipe();
        ActorProcess holder = system.spawnProcess(Props.create(Worker.class), "pipe-holder");
        assertThat(this.<String>get(ask(holder, new Send(killed.second(), "hello", false)))).isEqualTo("sent");
        assertThat(killed.first().recv(T)).isEqualTo("hello");
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return killed.first().recv(T);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        holder.kill();
        assertThat(holder.join(T)).isTrue();
        assertThatThrownBy(() -> waiting.get(T.toMillis(), TimeUnit.MILLISECONDS)).rootCause()
                .isInstanceOf(PipeClosedException.class)
                .hasMessageContaining("the process [pipe-holder] that held end 1 exited");
        assertThatThrownBy(() -> killed.first().send("anyone?")).isInstanceOf(PipeClosedException.class);

        Pipe<String> closed = system.pipe(false);
        assertThat(this.<String>get(ask(workers.get(1), new Send(closed.second(), "bye", true)))).isEqualTo("sent");
        assertThat(closed.first().recv(T)).isEqualTo("bye");
        assertThatThrownBy(() -> closed.first().recv(T)).isInstanceOf(PipeClosedException.class)
                .hasMessageContaining("its end 1 was closed");
    }
}
