package io.procactor.samples;

import java.io.Console;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr for a long pool run, {@code [#####     ] 52% 520000/1000000},
 * redrawn in place by a daemon thread that polls a counter such as
 * {@link io.procactor.Pool#completedTasks()}. It draws only when the JVM runs on an interactive
 * terminal; when the output is piped or redirected it prints nothing at all, so logs and captured
 * output stay clean.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.start(pool::completedTasks, inputs.size())) {
 *     results = pool.map(inputs, timeout);
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class ProgressBar implements AutoCloseable {
    /** Characters between the brackets. */
    static final int WIDTH = 40;
    private static final long REDRAW_MILLIS = 100;

    private final LongSupplier completed;
    private final long zero;
    private final long total;
    private final PrintStream err;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread drawer;
    private String lastDrawn = "";

    private ProgressBar(LongSupplier completed, long total, PrintStream err) {
        this.completed = completed;
        // The counter may already count earlier work (a pool's counter only grows): this run starts here.
        this.zero = completed.getAsLong();
        this.total = total;
        this.err = err;
        this.drawer = new Thread(this::redrawUntilClosed, "progress-bar");
        drawer.setDaemon(true); // never keeps the JVM alive
        drawer.start();
    }

    /** The bar for a JVM without a terminal: no thread, no output. */
    private ProgressBar() {
        this.completed = null;
        this.zero = 0;
        this.total = 0;
        this.err = null;
        this.drawer = null;
    }

    /**
     * Starts drawing the progress of {@code total} units counted by {@code completed} on
     * {@code System.err}, if the JVM runs on a terminal; otherwise returns a bar that does nothing.
     */
    public static ProgressBar start(LongSupplier completed, long total) {
        return start(completed, total, hasTerminal(), System.err);
    }

    /** Whether the JVM runs on an interactive terminal (its standard input and output are one). */
    static boolean hasTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // From JDK 22 on, System.console() is not null when the streams are redirected;
            // Console.isTerminal() (JDK 22+) tells. Reflection, because this code compiles for 17.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // up to JDK 21 there is a console only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** {@link #start(LongSupplier, long)} with the terminal check and the stream made explicit, for tests. */
    static ProgressBar start(LongSupplier completed, long total, boolean terminal, PrintStream err) {
        return terminal ? new ProgressBar(completed, total, err) : new ProgressBar();
    }

    /**
     * The bar for {@code done} of {@code total} units, {@code width} characters between the
     * brackets: {@code render(52, 100, 10)} is {@code "[#####     ] 52% 52/100"}. Values out of
     * range are clamped; a total of zero counts as complete.
     */
    public static String render(long done, long total, int width) {
        long t = Math.max(0, total);
        long d = Math.max(0, Math.min(done, t));
        // integer arithmetic: with doubles, 29/100 would show as 28%
        long filled = t == 0 ? width : d * width / t;
        long percent = t == 0 ? 100 : d * 100 / t;
        return "[" + "#".repeat((int) filled) + " ".repeat(width - (int) filled) + "] " + percent + "% " + d + "/" + t;
    }

    private void redrawUntilClosed() {
        try {
            do {
                draw();
            } while (!stop.await(REDRAW_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void draw() {
        String line = render(completed.getAsLong() - zero, total, WIDTH);
        if (!line.equals(lastDrawn)) { // '\r' returns to the line start; the line never gets shorter
            err.print("\r" + line);
            err.flush();
            lastDrawn = line;
        }
    }

    /** Stops redrawing, draws the final state and ends the line. */
    @Override
    public void close() {
        if (drawer == null || !closed.compareAndSet(false, true)) {
            return;
        }
        stop.countDown();
        try {
            drawer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
        err.println();
    }
}
