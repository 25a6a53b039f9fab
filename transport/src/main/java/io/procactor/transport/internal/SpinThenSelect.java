package io.procactor.transport.internal;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * An epoll event loop's choice between polling and sleeping: for {@code spinNanos} after it last
 * had work (a ready socket, a task, or any wake-up) it polls the socket set without blocking
 * ({@code epoll_wait} with timeout 0) instead of sleeping in {@code epoll_wait}. A reply or a task
 * that arrives within that window is taken without a thread wake-up on either side: a sender's
 * {@code execute} writes no eventfd while the loop is awake, and the reading side pays no
 * scheduler wake-up. Without traffic it stops after {@code spinNanos} and sleeps as before, so an
 * idle loop burns nothing (a heartbeat every second costs one window).
 *
 * <p>Threads: one instance per event loop ({@link #factory} makes one each); used only by that
 * loop's thread.
 */
final class SpinThenSelect implements SelectStrategy {
    private final long spinNanos;
    private long lastWork = System.nanoTime();
    /** The previous call chose to sleep: the loop is back, so something woke it. */
    private boolean slept;

    private SpinThenSelect(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** One strategy per event loop; {@code spinMicros} <= 0 keeps Netty's default (sleep at once). */
    static SelectStrategyFactory factory(long spinMicros) {
        long nanos = spinMicros * 1_000L;
        return () -> new SpinThenSelect(nanos);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        long now = System.nanoTime();
        if (slept || hasTasks) {
            slept = false;
            lastWork = now;
        }
        int ready = selectNow.get();
        if (ready > 0 || hasTasks) {
            if (ready > 0) {
                lastWork = now;
            }
            return ready; // the loop handles what is ready, then runs its tasks
        }
        if (now - lastWork < spinNanos) {
            Thread.onSpinWait();
            return SelectStrategy.CONTINUE; // the loop runs due tasks and asks again
        }
        slept = true;
        return SelectStrategy.SELECT;
    }
}
