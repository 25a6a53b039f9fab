package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.internal.config.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The overflow policies of a full mailbox, on the test's thread (one helper thread for a blocked sender). */
class MailboxTest {
    private static final Duration LONG = Duration.ofSeconds(10);
    private final List<Object> refused = new CopyOnWriteArrayList<>();
    private final AtomicReference<Thread> senderThread = new AtomicReference<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "blocked-sender");
        senderThread.set(t);
        return t;
    });

    @AfterEach
    void stopSender() {
        sender.shutdownNow();
    }

    private Mailbox mailbox(OverflowPolicy policy, Duration blockTimeout) {
        return new Mailbox(2, policy, blockTimeout, (from, body) -> refused.add(body));
    }

    private static List<Object> drain(Mailbox m) {
        List<Object> bodies = new ArrayList<>();
        Mailbox.Letter l;
        while ((l = m.poll()) != null) {
            bodies.add(l.body());
        }
        return bodies;
    }

    @Test
    void failRefusesTheNewMessageAndReportsIt() {
        Mailbox m = mailbox(OverflowPolicy.FAIL, LONG);
        assertThat(m.offer(null, "1", null)).isTrue();
        assertThat(m.offer(null, "2", null)).isTrue();
        assertThat(m.offer(null, "3", null)).isFalse();
        assertThat(refused).containsExactly("3");
        assertThat(drain(m)).containsExactly("1", "2");
    }

    @Test
    void dropNewestRefusesTheNewMessageAndReportsIt() {
        Mailbox m = mailbox(OverflowPolicy.DROP_NEWEST, LONG);
        m.offer(null, "1", null);
        m.offer(null, "2", null);
        assertThat(m.offer(null, "3", null)).isFalse();
        assertThat(refused).containsExactly("3");
        assertThat(drain(m)).containsExactly("1", "2");
    }

    @Test
    void dropOldestReportsTheOldestAndTakesTheNewMessage() {
        Mailbox m = mailbox(OverflowPolicy.DROP_OLDEST, LONG);
        m.offer(null, "1", null);
        m.offer(null, "2", null);
        assertThat(m.offer(null, "3", null)).isTrue();
        assertThat(refused).containsExactly("1");
        assertThat(m.size()).isEqualTo(2);
        assertThat(drain(m)).containsExactly("2", "3");
    }

    @Test
    void blockRefusesALocalSenderAfterTheBlockTimeout() {
        Mailbox m = mailbox(OverflowPolicy.BLOCK, Duration.ofMillis(50));
        m.offer(null, "1", null);
        m.offer(null, "2", null);
        long t0 = System.nanoTime();
        assertThat(m.offer(null, "3", null)).isFalse();
        // waited for the timeout (the wait is counted in whole milliseconds, so allow a little less)
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
        assertThat(refused).containsExactly("3");
    }

    @Test
    void blockLetsAWaitingLocalSenderInWhenTheActorTakesAMessage() throws Exception {
        Mailbox m = mailbox(OverflowPolicy.BLOCK, LONG);
        m.offer(null, "1", null);
        m.offer(null, "2", null);
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> m.offer(null, "3", null), sender);
        await().atMost(LONG).until(() -> blockedIn(m));
        assertThat(third).isNotDone();

        assertThat(m.poll().body()).isEqualTo("1");
        assertThat(third.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(refused).isEmpty();
        assertThat(drain(m)).containsExactly("2", "3");
    }

    @Test
    void blockReleasesAWaitingSenderWhenTheMailboxCloses() throws Exception {
        Mailbox m = mailbox(OverflowPolicy.BLOCK, LONG);
        m.offer(null, "1", null);
        m.offer(null, "2", null);
        CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> m.offer(null, "3", null), sender);
        await().atMost(LONG).until(() -> blockedIn(m));

        List<Object> deadLetters = new ArrayList<>();
        m.drainTo(l -> deadLetters.add(l.body()));
        m.close();
        // taken (the cell sees it stopped and drains it to dead letters), not refused as overflow
        assertThat(third.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(deadLetters).containsExactly("1", "2");
    }

    @Test
    void blockPausesTheSourceConnectionAndResumesItWhenHalfDrained() {
        Mailbox m = mailbox(OverflowPolicy.BLOCK, LONG);
        RecordingConnection source = new RecordingConnection();
        m.offer(null, "1", source);
        m.offer(null, "2", source);
        assertThat(source.pauses).hasValue(0);

        assertThat(m.offer(null, "3", source)).as("a remote message is taken: its bytes are read already").isTrue();
        assertThat(m.offer(null, "4", source)).isTrue();
        assertThat(source.pauses).as("paused once").hasValue(1);

        m.poll(); // 3 left
        m.poll(); // 2 left
        assertThat(source.resumes).hasValue(0);
        m.poll(); // 1 left: at most half the capacity
        assertThat(source.resumes).hasValue(1);
        assertThat(refused).isEmpty();
    }

    @Test
    void drainingAStoppedActorsMailboxResumesItsPausedSources() {
        Mailbox m = mailbox(OverflowPolicy.BLOCK, LONG);
        RecordingConnection source = new RecordingConnection();
        for (int i = 0; i < 3; i++) {
            m.offer(null, i, source);
        }
        List<Object> deadLetters = new ArrayList<>();
        m.drainTo(l -> deadLetters.add(l.body()));
        assertThat(deadLetters).containsExactly(0, 1, 2);
        assertThat(source.resumes).hasValue(1);
        assertThat(m.size()).isZero();
    }

    @Test
    void manyProducersAndOneConsumerKeepEachProducersOrderAndLoseNothing() throws Exception {
        int producers = 4;
        int each = 20_000;
        Mailbox m = new Mailbox(Integer.MAX_VALUE, OverflowPolicy.FAIL, LONG, (from, body) -> refused.add(body));
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            for (int p = 0; p < producers; p++) {
                int producer = p;
                pool.execute(() -> {
                    for (int i = 0; i < each; i++) {
                        m.offer(null, new long[] {producer, i}, null);
                    }
                });
            }
            int[] next = new int[producers];
            int taken = 0;
            long deadline = System.nanoTime() + LONG.toNanos();
            while (taken < producers * each && System.nanoTime() < deadline) {
                Mailbox.Letter l = m.poll();
                if (l == null) {
                    Thread.onSpinWait();
                    continue;
                }
                long[] v = (long[]) l.body();
                assertThat(v[1]).as("producer %d's order", v[0]).isEqualTo(next[(int) v[0]]);
                next[(int) v[0]]++;
                taken++;
            }
            assertThat(taken).isEqualTo(producers * each);
            assertThat(m.poll()).isNull();
            assertThat(m.isEmpty()).isTrue();
            assertThat(m.size()).isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThat(refused).isEmpty();
    }

    @Test
    void theQueueForgetsAHandledMessageAtTheNextPoll() {
        Mailbox m = mailbox(OverflowPolicy.FAIL, LONG);
        m.offer(null, "1", null);
        Mailbox.Letter l = m.poll();
        assertThat(l.body()).isEqualTo("1");
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.poll()).isNull();
        assertThat(l.body()).as("no longer kept alive by the queue's head").isNull();
    }

    @Test
    void dropOldestFromProducersRacingTheConsumerLosesOrDuplicatesNothing() throws Exception {
        int producers = 3;
        int each = 20_000;
        List<Object> dropped = java.util.Collections.synchronizedList(new ArrayList<>());
        Mailbox m = new Mailbox(64, OverflowPolicy.DROP_OLDEST, LONG, (from, body) -> dropped.add(body));
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Object> handled = new ArrayList<>();
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                done.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        m.offer(null, producer * each + i, null);
                    }
                }, pool));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
            while (!all.isDone() || !m.isEmpty()) {
                Mailbox.Letter l = m.poll();
                if (l != null) {
                    assertThat(l.body()).isNotNull();
                    handled.add(l.body());
                }
            }
            all.get(LONG.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(handled.size() + dropped.size()).isEqualTo(producers * each);
        java.util.Set<Object> seen = new java.util.HashSet<>(handled);
        seen.addAll(dropped);
        assertThat(seen).hasSize(producers * each);
    }

    private boolean blockedIn(Mailbox m) {
        Thread t = senderThread.get(); // waiting on the mailbox's monitor for space
        return t != null && t.getState() == Thread.State.TIMED_WAITING && m.size() == 2;
    }
}
