package io.procactor.internal.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A future whose async callbacks run on the runtime's executor instead of the common pool, which
 * on machines with fewer than three CPUs starts a new thread for every callback.
 */
public sealed class RuntimeFuture<T> extends CompletableFuture<T> permits AskFuture {
    private final Executor executor;

    public RuntimeFuture(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Executor defaultExecutor() {
        return executor;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new RuntimeFuture<>(executor);
    }
}
