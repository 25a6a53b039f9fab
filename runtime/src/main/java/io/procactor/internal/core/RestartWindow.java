package io.procactor.internal.core;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Restart intensity, as Erlang/OTP's supervisor counts it ({@code add_restart}, {@code inPeriod}):
 * the times of recent restarts; a restart is allowed while, counting it, no more than
 * {@code maxRestarts} fall within {@code within} of now. A restart exactly {@code within} old
 * still counts. A refused restart is not recorded: the caller gives up on what it supervises.
 * Used for one actor (its supervisor's strategy) and for one child process (its
 * {@link io.procactor.RestartPolicy}).
 *
 * <p>Not thread-safe: one owner calls it (the actor's own thread, or the child handle under its
 * lock). Time comes from the {@link Ticker} given.
 */
public final class RestartWindow {

    /**
     * @param allowed whether the restart may go ahead
     * @param count   restarts within the window, counting this one (also when refused); the
     *                attempt number for a backoff
     */
    public record Decision(boolean allowed, int count) {
    }

    private final Ticker ticker;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    public RestartWindow(Ticker ticker) {
        this.ticker = ticker;
    }

    /**
     * Records a restart now if {@code maxRestarts} allows it. The limits are passed on each call
     * because an actor's supervisor may change its strategy between failures.
     */
    public Decision tryRestart(int maxRestarts, Duration within) {
        long now = ticker.nanoTime();
        long period = within.toNanos();
        while (!times.isEmpty() && now - times.peekFirst() > period) {
            times.removeFirst();
        }
        int count = times.size() + 1;
        if (count > maxRestarts) {
            return new Decision(false, count);
        }
        times.addLast(now);
        return new Decision(true, count);
    }
}
