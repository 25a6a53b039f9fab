package io.procactor.internal.node;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.FunctionProcess;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link FunctionProcess}: an {@link ActorProcess} hosting a {@code FunctionTask}, to which
 * {@link #start()} sends the call as an ask. The ask has no practical time limit: it ends with the
 * answer or, if the process exits without one, with the process's exit status.
 *
 * <p>Thread-safe: the process handle is; {@code result} is completed once, by the ask.
 */
final class FunctionRun<R> implements FunctionProcess<R> {
    /** The ask's limit: the function may run as long as it likes; the process's exit ends the ask anyway. */
    private static final Duration NO_LIMIT = Duration.ofDays(365L * 100);

    private final ActorProcess process;
    private final Protocol.Call call;
    private final CompletableFuture<R> result = new CompletableFuture<>();

    FunctionRun(ActorProcess process, Protocol.Call call) {
        this.process = process;
        this.call = call;
    }

    @Override
    public CompletableFuture<R> result() {
        return result;
    }

    @Override
    public FunctionProcess<R> start() {
        process.start();
        process.ref().<R>ask(call, NO_LIMIT).whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        });
        return this;
    }

    @Override
    public String name() {
        return process.name();
    }

    @Override
    public ActorRef ref() {
        return process.ref();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public CompletableFuture<ActorProcess> ready() {
        return process.ready();
    }

    @Override
    public ExitStatus join() throws InterruptedException {
        return process.join();
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return process.join(timeout);
    }

    @Override
    public void terminate() {
        process.terminate();
    }

    @Override
    public int restarts() {
        return process.restarts();
    }

    @Override
    public void kill() {
        process.kill();
    }

    @Override
    public Optional<ExitStatus> exitStatus() {
        return process.exitStatus();
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        return process.onExit();
    }

    @Override
    public String toString() {
        return "FunctionProcess[" + process + "]";
    }
}
