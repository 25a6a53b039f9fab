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

    private boolean blockedIn(Mailbox m) {
        Thread t = senderThread.get(); // waiting on the mailbox's monitor for space
        return t != null && t.getState() == Thread.State.TIMED_WAITING && m.size() == 2;
    }
}
