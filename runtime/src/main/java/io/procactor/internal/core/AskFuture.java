package io.procactor.internal.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An ask's future. A thread blocked in {@code get()}/{@code join()} takes the reply straight from
 * the thread that delivers it (usually an I/O thread) and completes the future itself: one thread
 * wake-up instead of two (I/O thread -> dispatcher -> caller). Callbacks attached to the future
 * then run on that caller's thread, never on the I/O thread; without a blocked caller the reply
 * takes the usual path (completed on the runtime's executor, see {@link AskTable}).
 *
 * <p>Before it sleeps, the caller polls for up to {@link #spinNanos()} (bounded; the same
 * caller does not poll again), so a reply that comes within that window wakes nobody at all.
 *
 * <p>Threads: any. One caller at a time takes the hand-off (others wait the usual way, and are
 * woken when the first completes the future); {@link #handOff} is for {@link AskTable} only.
 */
final class AskFuture extends RuntimeFuture<Object> {
    private static final int OPEN = 0;
    private static final int WAITING = 1;
    private static final int HANDED = 2;
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("procactor.ask.spin-micros", 0));

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AskFuture.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state; // OPEN, WAITING, HANDED; a field, not an AtomicInteger: one object less per ask
    private volatile Thread waiter;
    // written by the deliverer before its WAITING -> HANDED CAS, read by the waiter after it saw HANDED
    private Object handedValue;
    private Throwable handedError;

    AskFuture(Executor executor) {
        super(executor);
    }

    static long spinNanos() {
        return SPIN_NANOS;
    }

    /**
     * The reply, from the delivering thread: true when a blocked caller took it (and completes the
     * future on its own thread); false when nobody waits, so the caller completes it the usual way.
     */
    boolean handOff(Object value, Throwable error) {
        if (state != WAITING) {
            return false;
        }
        handedValue = value;
        handedError = error;
        if (!STATE.compareAndSet(this, WAITING, HANDED)) {
            return false; // the waiter gave up (timed out, interrupted) just now
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w); // null: the waiter has not parked yet and will see HANDED first
        }
        return true;
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            await(0L, true);
        }
        return super.get();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone() && !await(Math.max(1L, unit.toNanos(timeout)), true)) {
            throw new TimeoutException();
        }
        return super.get(timeout, unit);
    }

    @Override
    public Object join() {
        if (!isDone()) {
            try {
                await(0L, false);
            } catch (InterruptedException impossible) {
                Thread.currentThread().interrupt();
            }
        }
        return super.join();
    }

    /**
     * Waits for the reply (hand-off) or any other completion; false when {@code timeoutNanos} (> 0)
     * passed first. Returns at once, leaving the caller to {@code super.get()}, when another thread
     * already waits for the hand-off.
     */
    private boolean await(long timeoutNanos, boolean interruptible) throws InterruptedException {
        if (!STATE.compareAndSet(this, OPEN, WAITING)) {
            return true; // another caller takes the hand-off; super.get() waits for its completion
        }
        IoInline.blocking();
        Thread me = Thread.currentThread();
        waiter = me;
        long start = System.nanoTime();
        long spinUntil = start + SPIN_NANOS;
        boolean interruptedMeanwhile = false; // join(): kept for the caller, but not left set while parking
        try {
            while (true) {
                if (state == HANDED) {
                    completeHanded();
                    return true;
                }
                if (isDone()) { // completed some other way (timeout, process down, cancel, by the user)
                    return leave() || completeHanded();
                }
                long now = System.nanoTime();
                if (now - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                if (Thread.interrupted()) {
                    if (!interruptible) {
                        interruptedMeanwhile = true; // park() returns at once while the flag is set: it would spin
                    } else if (leave()) {
                        throw new InterruptedException();
                    } else {
                        me.interrupt(); // the reply came meanwhile: deliver it, keep the interrupt for later
                        return completeHanded();
                    }
                }
                if (timeoutNanos > 0) {
                    long left = timeoutNanos - (now - start);
                    if (left <= 0) {
                        return !leave() && completeHanded();
                    }
                    LockSupport.parkNanos(this, left);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            if (interruptedMeanwhile) {
                me.interrupt();
            }
        }
    }

    /** Stops waiting for the hand-off; false when it came meanwhile (the caller must take it). */
    private boolean leave() {
        waiter = null;
        return STATE.compareAndSet(this, WAITING, OPEN);
    }

    private boolean completeHanded() {
        waiter = null;
        if (handedError != null) {
            super.completeExceptionally(handedError);
        } else {
            super.complete(handedValue);
        }
        handedValue = null;
        handedError = null;
        return true;
    }

    // every way to complete the future from outside wakes a caller parked for the hand-off

    @Override
    public boolean complete(Object value) {
        boolean r = super.complete(value);
        wakeWaiter();
        return r;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean r = super.completeExceptionally(ex);
        wakeWaiter();
        return r;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean r = super.cancel(mayInterruptIfRunning);
        wakeWaiter();
        return r;
    }

    @Override
    public void obtrudeValue(Object value) {
        super.obtrudeValue(value);
        wakeWaiter();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        super.obtrudeException(ex);
        wakeWaiter();
    }

    /**
     * As {@link java.util.concurrent.CompletableFuture#completeAsync}, whose own task completes
     * the future through a package-private path that none of the methods above sees.
     */
    @Override
    public java.util.concurrent.CompletableFuture<Object> completeAsync(Supplier<?> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            if (isDone()) {
                return; // as the JDK's: the supplier runs only for a future still open
            }
            try {
                complete(supplier.get());
            } catch (Throwable t) { // wrapped as the JDK's does, so dependents see the same
                completeExceptionally(t instanceof CompletionException ? t : new CompletionException(t));
            }
        });
        return this;
    }

    private void wakeWaiter() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
