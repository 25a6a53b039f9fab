package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.Actor;
import io.procactor.Props;
import io.procactor.internal.wire.Protocol;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When an actor runs its turn on the I/O thread that delivered its message ({@link IoInline}):
 * only after it proved cheap on the dispatcher, in order with what its mailbox holds, never for a
 * pool batch, and never again (for a while, then for good) once a message was slow there.
 */
class IoInlineTest {
    private CellHarness cells;
    private final RecordingConnection connection = new RecordingConnection();

    private final boolean wasEnabled = IoInline.enabled;

    @org.junit.jupiter.api.BeforeEach
    void turnOn() {
        IoInline.enabled = true; // off by default (see IoInline); these tests are about what it does when on
    }

    @AfterEach
    void close() {
        IoInline.enabled = wasEnabled;
        if (cells != null) {
            cells.close();
        }
    }

    @Test
    void eligibilityIsEarnedByCheapMessagesInARowAndLostByASlowOne() {
        IoInline inline = new IoInline();
        for (int i = 1; i < IoInline.LEARN; i++) {
            assertThat(inline.handled(1_000)).isTrue();
        }
        assertThat(inline.eligible()).isFalse();
        inline.handled(1_000);
        assertThat(inline.eligible()).isTrue();

        assertThat(inline.handled(IoInline.SLOW_NANOS + 1)).isFalse();
        assertThat(inline.eligible()).isFalse();
        for (int i = 0; i < IoInline.LEARN; i++) {
            inline.handled(1_000);
        }
        assertThat(inline.eligible()).as("a demoted cell needs twice as many cheap messages").isFalse();
        for (int i = 0; i < IoInline.LEARN; i++) {
            inline.handled(1_000);
        }
        assertThat(inline.eligible()).isTrue();
    }

    @Test
    void eachLossDoublesTheCheapMessagesNeededUpToALimit() {
        IoInline inline = new IoInline();
        for (int d = 0; d <= IoInline.MAX_DOUBLINGS + 2; d++) {
            int needed = 0;
            while (!inline.eligible()) {
                inline.handled(1_000);
                needed++;
            }
            assertThat(needed).isEqualTo(IoInline.LEARN << Math.min(d, IoInline.MAX_DOUBLINGS));
            inline.handled(IoInline.SLOW_NANOS + 1);
        }
    }

    @Test
    void aCheapActorRunsOnTheDeliveringIoThreadInOrderAndASlowMessageSendsItBackToTheDispatcher() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ActorCell cell = provenCheapRecorder(seen);

        String io = onIoThread(() -> cell.enqueue(null, 1, connection));
        assertThat(cells.dispatcher.waiting()).isZero();
        assertThat(seen).containsExactly("1 on " + io);

        // while the dispatcher holds the cell, a delivery from the I/O thread queues behind what waits
        String me = Thread.currentThread().getName();
        cell.enqueue(null, 2, null); // a local send: a dispatcher task now holds the cell
        onIoThread(() -> cell.enqueue(null, 3, connection));
        assertThat(seen).containsExactly("1 on " + io);
        cells.run();
        assertThat(seen).containsExactly("1 on " + io, "2 on " + me, "3 on " + me);

        warmUp(cell); // again if a first, cold run on the I/O thread counted as slow
        seen.clear();
        onIoThread(() -> cell.enqueue(null, "slow", connection));
        onIoThread(() -> cell.enqueue(null, 4, connection));
        assertThat(seen).containsExactly("slow on " + io);
        assertThat(cells.dispatcher.waiting()).isEqualTo(1);
        cells.run();
        assertThat(seen.get(seen.size() - 1)).isEqualTo("4 on " + me);
    }

    @Test
    void aPoolBatchNeverRunsOnTheIoThread() throws Exception {
        ActorCell cell = provenCheapRecorder(new CopyOnWriteArrayList<>());
        onIoThread(() -> cell.enqueue(null, new Protocol.Batch(1, List.of()), connection));
        assertThat(cells.dispatcher.waiting()).isEqualTo(1);
    }

    @Test
    void aJvmErrorInATurnOnTheIoThreadStaysOffTheTransportAndTheActorGoesOn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ActorCell cell = provenCheapRecorder(seen);

        // thrown into the transport, it would close the connection (a child's control connection: the child ends)
        String io = onIoThread(() -> cell.enqueue(null, "jvm-error", connection));
        onIoThread(() -> cell.enqueue(null, 5, connection));
        cells.run();

        assertThat(seen).containsExactly("jvm-error on " + io, "5 on " + io);
    }

    @Test
    void aTurnAboutToBlockOnTheIoThreadSubmitsTheTurnsItsReadMadeDueAtOnce() throws Exception {
        AtomicInteger submitted = new AtomicInteger();
        IoInline inline = new IoInline();
        onIoThread(() -> {
            assertThat(inline.enter()).isTrue();
            ReadBatchWakeups.defer(submitted::incrementAndGet); // an actor this read made due: maybe the one asked
            IoInline.blocking(); // as an ask's get() does
            assertThat(submitted).as("submitted before the read ends").hasValue(1);
            inline.leave(System.nanoTime());
        });
        assertThat(submitted).hasValue(1);
    }

    /** A {@link Recorder} into {@code seen} that may run on an I/O thread, its warm-up not recorded. */
    private ActorCell provenCheapRecorder(List<String> seen) {
        cells = new CellHarness("");
        ActorCell cell = cells.root(Props.create(Recorder.class, seen), "recorder");
        cells.run();
        warmUp(cell);
        seen.clear();
        return cell;
    }

    /** Cheap messages on the dispatcher (this thread) until the cell may run on an I/O thread. */
    private void warmUp(ActorCell cell) {
        for (int i = 0; i < 50 * IoInline.LEARN && !cell.ioInline().eligible(); i++) {
            cell.enqueue(null, "warm", connection);
            cells.run();
        }
        assertThat(cell.ioInline().eligible()).isTrue();
    }

    /** Runs {@code body} on a thread named like a transport's I/O thread; returns that name. */
    private static String onIoThread(Runnable body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
                ReadBatchWakeups.flush(); // the end of the read, as the transport's read-complete
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "procactor-io-test-1");
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(10));
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return t.getName();
    }

    /** Records each message with its thread; "slow" takes longer than {@link IoInline#SLOW_NANOS}; "jvm-error" throws an InternalError. */
    public static final class Recorder extends Actor {
        private final List<String> seen;

        public Recorder(List<String> seen) {
            this.seen = seen;
        }

        @Override
        protected void onReceive(Object message) {
            if ("slow".equals(message)) {
                long until = System.nanoTime() + 2 * IoInline.SLOW_NANOS;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            if (!"warm".equals(message)) {
                seen.add(message + " on " + Thread.currentThread().getName());
            }
            if ("jvm-error".equals(message)) {
                throw new InternalError("simulated");
            }
        }
    }
}
