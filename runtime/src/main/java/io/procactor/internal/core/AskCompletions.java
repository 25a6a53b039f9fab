package io.procactor.internal.core;

import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * The ask replies one socket read delivered, completed by one executor task at the end of the read
 * ({@link ReadBatchWakeups}) rather than one task each: pipelined asks then wake a dispatcher
 * thread at most once per read, and the task it runs finds them all. Only replies read from a
 * connection are deferred (the rest of the read is on the same I/O thread, and the read's end
 * flushes them); a process's exit, a timeout or a closing system complete their asks at once.
 *
 * <p>Threads: one open batch per I/O thread (a ThreadLocal); a batch is handed whole to the executor.
 */
final class AskCompletions implements Runnable {
    /** The I/O thread's open batch, if any. */
    private static final class Open {
        AskCompletions batch;
    }

    private static final ThreadLocal<Open> OPEN = ThreadLocal.withInitial(Open::new);
    private static final int MAX = 256; // a bigger read is completed in several tasks: each stays short

    private final Executor executor;
    private final Open owner;
    private RuntimeFuture<?>[] futures = new RuntimeFuture<?>[16];
    private Object[] values = new Object[16];
    private Throwable[] errors = new Throwable[16];
    private int size;

    private AskCompletions(Executor executor, Open owner) {
        this.executor = executor;
        this.owner = owner;
    }

    /** Completes {@code future} on {@code executor} when this I/O thread's current read is done. */
    static void defer(Executor executor, RuntimeFuture<Object> future, Object value, Throwable error) {
        Open open = OPEN.get();
        AskCompletions batch = open.batch;
        if (batch == null || batch.executor != executor || batch.size == MAX) {
            batch = new AskCompletions(executor, open); // a full batch, or one for another process's executor, goes as it is
            open.batch = batch;
            ReadBatchWakeups.defer(batch::submit);
        }
        batch.add(future, value, error);
    }

    private void add(RuntimeFuture<?> future, Object value, Throwable error) {
        if (size == futures.length) {
            futures = Arrays.copyOf(futures, size * 2);
            values = Arrays.copyOf(values, size * 2);
            errors = Arrays.copyOf(errors, size * 2);
        }
        futures[size] = future;
        values[size] = value;
        errors[size] = error;
        size++;
    }

    private void submit() {
        if (owner.batch == this) {
            owner.batch = null;
        }
        executor.execute(this);
    }

    /** Completes the batch's futures, on the executor. */
    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        for (int i = 0; i < size; i++) {
            RuntimeFuture<Object> f = (RuntimeFuture<Object>) futures[i];
            if (errors[i] != null) {
                f.completeExceptionally(errors[i]);
            } else {
                f.complete(values[i]);
            }
        }
    }
}
