package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.internal.core.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Start timeout and heartbeat watching on a manual clock: no JVM, no threads, milliseconds. */
class HeartbeatsTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeJvm jvm = new FakeJvm();
    private final Heartbeats heartbeats = new Heartbeats(scheduler, scheduler.ticker(), jvm, START, INTERVAL, TIMEOUT);

    private static final class FakeJvm implements Heartbeats.Watched {
        final AtomicBoolean alive = new AtomicBoolean(true);
        final AtomicInteger kills = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        volatile long extraSilence;
        volatile boolean paused;

        @Override
        public boolean unheardByChoice() {
            return paused;
        }

        @Override
        public boolean isAlive() {
            return alive.get();
        }

        @Override
        public void kill() {
            kills.incrementAndGet();
            alive.set(false);
        }

        @Override
        public void ping() {
            pings.incrementAndGet();
        }

        @Override
        public String describe() {
            return "fake 1";
        }

        @Override
        public long extraSilenceMillis() {
            return extraSilence;
        }
    }

    @Test
    void aChildWritingTheArchiveAsItExitsMayBeSilentLongerButNotForever() {
        heartbeats.launched();
        heartbeats.connected();
        heartbeats.listening();
        jvm.extraSilence = 30_000; // it said Exiting and writes the class-data sharing archive (Incarnation)

        scheduler.advance(TIMEOUT.plusSeconds(30));
        assertThat(jvm.kills).as("silent for the timeout and its allowance: not yet").hasValue(0);

        scheduler.advance(INTERVAL);
        assertThat(jvm.kills).hasValue(1);
        assertThat(heartbeats.unresponsive()).isTrue();
    }

    @Test
    void silenceWhileTheNodeIsNotReadingDoesNotCountButTheClockRunsAgainAfter() {
        heartbeats.launched();
        heartbeats.connected();
        heartbeats.listening();
        jvm.paused = true; // a full mailbox with overflow = block paused reads from this child

        scheduler.advance(TIMEOUT.multipliedBy(3));
        assertThat(jvm.kills).as("its answers wait unread: not its fault").hasValue(0);

        jvm.paused = false;
        scheduler.advance(TIMEOUT);
        assertThat(jvm.kills).as("silent for exactly the timeout since reads resumed: not yet").hasValue(0);
        scheduler.advance(INTERVAL.multipliedBy(2));
        assertThat(jvm.kills).as("still silent while read: hung").hasValue(1);
    }

    @Test
    void aSilentChildIsUnresponsiveAfterTheHeartbeatTimeoutNotBefore() {
        heartbeats.launched();
        heartbeats.connected();
        heartbeats.listening();

        scheduler.advance(TIMEOUT); // silent for exactly the timeout: not yet
        assertThat(jvm.kills).hasValue(0);
        assertThat(heartbeats.unresponsive()).isFalse();
        assertThat(jvm.pings.get()).isEqualTo(10);

        scheduler.advance(INTERVAL); // the next beat finds it silent for longer than the timeout
        assertThat(jvm.kills).hasValue(1);
        assertThat(heartbeats.unresponsive()).isTrue();
        assertThat(heartbeats.startTimedOut()).isFalse();

        scheduler.advance(TIMEOUT);
        assertThat(jvm.kills).as("killed once").hasValue(1);
        assertThat(scheduler.failures()).isEmpty();
    }

    @Test
    void aChildThatAnswersIsNeverUnresponsive() {
        heartbeats.launched();
        heartbeats.connected();
        heartbeats.listening();
        for (int i = 0; i < 60; i++) {
            scheduler.advance(INTERVAL);
            heartbeats.heard(); // its PONG
        }
        assertThat(jvm.kills).hasValue(0);
        assertThat(heartbeats.unresponsive()).isFalse();
        assertThat(jvm.pings.get()).isEqualTo(60);
    }

    @Test
    void aChildThatDoesNotConnectIsKilledAtTheStartTimeoutCountedFromItsLaunch() {
        scheduler.advance(Duration.ofMinutes(5)); // time before the launch (waiting for a start slot) does not count
        heartbeats.launched();
        scheduler.advance(START.minusMillis(1));
        assertThat(jvm.kills).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(jvm.kills).hasValue(1);
        assertThat(heartbeats.startTimedOut()).isTrue();
        assertThat(heartbeats.unresponsive()).isFalse();
    }

    @Test
    void aChildThatConnectedInTimeIsNotKilledForItsStart() {
        heartbeats.launched();
        scheduler.advance(Duration.ofSeconds(5));
        heartbeats.connected();
        heartbeats.listening();
        heartbeats.heard();
        scheduler.advance(START);
        assertThat(heartbeats.startTimedOut()).isFalse();
    }

    @Test
    void stopCancelsEveryTimer() {
        heartbeats.launched();
        heartbeats.connected();
        heartbeats.stop();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(jvm.kills).hasValue(0);
        assertThat(jvm.pings).hasValue(0);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aConnectionKnownOnlyAfterTheJvmWasGoneStartsNoPings() {
        // a spare's JVM that died while it was being given its process: its exit was seen first
        heartbeats.launched();
        jvm.alive.set(false);
        heartbeats.stop();
        heartbeats.connected();
        assertThat(scheduler.pending()).as("no timer left to keep the incarnation alive").isZero();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(jvm.pings).hasValue(0);
    }
}
