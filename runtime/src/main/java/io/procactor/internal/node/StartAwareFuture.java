package io.procactor.internal.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code ActorProcess.ready()}'s future: a timed {@link #get(long, TimeUnit)} that runs out says how
 * far the process's start got (still waiting for a start slot, launched but not connected, running
 * its actor's preStart) instead of a bare {@link TimeoutException}. Async callbacks run on the
 * runtime's executor. Thread-safe.
 */
final class StartAwareFuture<T> extends CompletableFuture<T> {
    private final Executor executor;
    private final Supplier<String> progress;
    private final String process;

    StartAwareFuture(Executor executor, Supplier<String> progress, String process) {
        this.executor = executor;
        this.progress = progress;
        this.process = process;
    }

    /** A future completed as {@code source} is, with the start's progress in its timeout message. */
    static <T> StartAwareFuture<T> following(CompletableFuture<T> source, Executor executor, Supplier<String> progress,
                                             String process) {
        StartAwareFuture<T> f = new StartAwareFuture<>(executor, progress, process);
        source.whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(v);
            }
        });
        return f;
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return super.get(timeout, unit);
        } catch (TimeoutException e) {
            throw new TimeoutException("process [" + process + "] was not ready within " + unit.toMillis(timeout) + " ms: "
                    + progress.get());
        }
    }

    @Override
    public Executor defaultExecutor() {
        return executor;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new io.procactor.internal.core.RuntimeFuture<>(executor);
    }
}
