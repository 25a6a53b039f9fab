package io.procactor.internal.node;

import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ExitStatus;
import io.procactor.FunctionProcess;
import io.procactor.MessageSerializationException;
import io.procactor.internal.wire.Protocol;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link FunctionProcess}: an {@link ActorProcess} hosting a {@code FunctionTask}, to which
 * {@link #start()} sends the call as an ask. The ask has no practical time limit: it ends with the
 * answer or, if the process exits without one, with the process's exit status. {@code join}
 * returns once {@link #result()} is settled too, as a Python user expects after {@code p.join()}.
 *
 * <p>Thread-safe: the process handle is; {@code result} is completed once, by the ask.
 */
final class FunctionRun<R> implements FunctionProcess<R> {
    /** The ask's limit: the function may run as long as it likes; the process's exit ends the ask anyway. */
    private static final Duration NO_LIMIT = Duration.ofDays(365L * 100);
    /**
     * How long {@code join} waits, after the exit, for the result: the ask fails with the exit
     * status a moment after the exit is seen (on the dispatcher), never much later.
     */
    private static final long SETTLE_MS = 5_000;

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
                if (e instanceof MessageSerializationException) {
                    // raised here, not by the child: the call never left, and the process would wait for it forever
                    process.terminate();
                }
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
    public String host() {
        return process.host();
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
        ExitStatus status = process.join();
        awaitResult();
        return status;
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        if (!process.join(timeout)) {
            return false;
        }
        awaitResult();
        return true;
    }

    /** After the exit: lets the ask's failure (the exit status) reach {@link #result()} before join returns. */
    private void awaitResult() throws InterruptedException {
        try {
            result.get(SETTLE_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // failed: settled; not settled in time: join still reports the exit, result() completes later
        }
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
