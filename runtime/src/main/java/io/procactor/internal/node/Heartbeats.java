package io.procactor.internal.node;

import io.procactor.internal.core.Scheduler;
import io.procactor.internal.core.Ticker;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one child JVM (one incarnation) from launch to exit: kills it when it does not connect
 * within the start timeout, counted from its launch; once it connected, pings it every
 * heartbeat interval (a transport PING, which the child's transport answers on its I/O thread)
 * and kills it as unresponsive when nothing at all was heard from it for the heartbeat timeout.
 * What it did is kept for the exit classification.
 *
 * <p>Threads: {@link #launched()} on the thread that launched the JVM; {@link #connected},
 * {@link #heard()} and {@link #listening()} on the connection's I/O thread; the timers on the
 * {@link Scheduler}; {@link #stop()} on the process reaper. Thread-safe: the flags are volatile,
 * each written by one thread; {@code connected} and {@code stop} exclude each other.
 */
final class Heartbeats {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    /** The watched JVM. */
    interface Watched {
        boolean isAlive();

        /** Kills the JVM at once (SIGKILL). */
        void kill();

        /** Sends a heartbeat on the control connection. */
        void ping();

        /**
         * Whether this node stopped reading from it (a full mailbox with overflow = block, see
         * Mailbox): its answers wait unread, so its silence says nothing about it.
         */
        default boolean unheardByChoice() {
            return false;
        }

        /** For log lines: {@code name pid}. */
        String describe();

        /**
         * How much longer than the heartbeat timeout it may stay silent right now: a JVM that said
         * it exits and is writing the class-data sharing archive answers nothing meanwhile.
         */
        default long extraSilenceMillis() {
            return 0;
        }
    }

    private final Scheduler scheduler;
    private final Ticker ticker;
    private final Watched jvm;
    private final Duration startTimeout;
    private final Duration interval;
    private final Duration timeout;

    private volatile boolean connected;
    private volatile long lastHeardNanos;
    private volatile boolean startTimedOut;
    private volatile boolean unresponsive;
    private volatile Future<?> startTimer;
    private volatile Future<?> pings;
    private boolean stopped; // guarded by this: connected() and stop() may race when a spare dies being handed over

    Heartbeats(Scheduler scheduler, Ticker ticker, Watched jvm, Duration startTimeout, Duration interval, Duration timeout) {
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.jvm = jvm;
        this.startTimeout = startTimeout;
        this.interval = interval;
        this.timeout = timeout;
        this.lastHeardNanos = ticker.nanoTime();
    }

    /** The JVM was just launched: the start timeout runs from now. */
    void launched() {
        startTimer = scheduler.schedule(() -> {
            if (!connected && jvm.isAlive()) {
                startTimedOut = true;
                log.error("Process [{}] did not connect within {} ms; killing it", jvm.describe(), startTimeout.toMillis());
                jvm.kill();
            }
        }, startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** It connected and proved its token: heartbeats start, unless its JVM is gone already. */
    synchronized void connected() {
        if (stopped) { // a spare that died while it was being given its process: no pings for ever
            return;
        }
        lastHeardNanos = ticker.nanoTime();
        connected = true;
        long every = interval.toMillis();
        // In phase with every other child's beats (a multiple of the interval on the ticker): the
        // node's scheduler and I/O threads then wake once per interval for all children, not once each.
        long first = every - Math.floorMod(TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime()), every);
        pings = scheduler.scheduleAtFixedRate(this::beat, first, every, TimeUnit.MILLISECONDS);
    }

    /** It reported where it listens: its start is over. */
    void listening() {
        cancel(startTimer);
    }

    /** Any message from the child proves it is alive. */
    void heard() {
        lastHeardNanos = ticker.nanoTime();
    }

    /** Its JVM is gone: no more timers, now or after a late {@link #connected}. */
    synchronized void stop() {
        stopped = true;
        cancel(startTimer);
        cancel(pings);
    }

    boolean startTimedOut() {
        return startTimedOut;
    }

    boolean unresponsive() {
        return unresponsive;
    }

    private void beat() {
        if (unresponsive || !jvm.isAlive()) {
            return;
        }
        if (jvm.unheardByChoice()) {
            // We are not reading what it sends; its silence counts from when we read again.
            lastHeardNanos = ticker.nanoTime();
            return;
        }
        long silentNanos = ticker.nanoTime() - lastHeardNanos;
        if (silentNanos > timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(jvm.extraSilenceMillis())) {
            unresponsive = true;
            log.error("Process [{}] sent nothing for {} ms (heartbeat-timeout {} ms): unresponsive; killing it",
                    jvm.describe(), TimeUnit.NANOSECONDS.toMillis(silentNanos), timeout.toMillis());
            jvm.kill();
            return;
        }
        jvm.ping();
    }

    private static void cancel(Future<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
