package io.procactor;

import java.util.concurrent.CompletableFuture;

/**
 * A child process that runs one function ({@link ActorSystem#process(Task.Fn2, Object, Object)}
 * and its overloads; Python's {@code Process(target=f, args=(a, b))}): the lifecycle of an
 * {@link ActorProcess}, plus the function's result as a future.
 *
 * <p>Exit status: code 0 ({@link ExitStatus.Reason#NORMAL}) when the function returned and its
 * result reached the node; {@link ExitStatus#TASK_FAILED_CODE} (1, as in Python;
 * {@link ExitStatus.Reason#CRASHED}, the exception in the detail) when it threw, its result could
 * not be serialized, or the process refused the function (see {@link Task}).
 *
 * <p>As Python's, {@link #terminate()} sends SIGTERM: a function still running does not finish,
 * the process exits with {@link ExitStatus#exitCode()} -15 ({@link ExitStatus.Reason#TERMINATED})
 * and {@link #result()} fails with {@link ActorTerminatedException}; a JVM still alive after
 * {@code procactor.process.terminate-grace-period} is killed. {@link #kill()} sends SIGKILL (-9).
 * (An actor process's {@code terminate()} is gentler: its actors stop and run {@code postStop}.)
 * Inside the function, {@link CurrentProcess} gives the process's name and pid. Once {@link #join()} returns, or {@link #join(java.time.Duration)}
 * returns true, {@link #result()} is complete as well.
 *
 * <p>Thread-safe.
 *
 * @param <R> the function's result type ({@code Void} for a {@code Task.Job})
 */
public interface FunctionProcess<R> extends ActorProcess {
    /**
     * The function's result; completes only after {@link #start()}: with what it returned (null for a
     * procedure); fails with {@link RemoteActorException} if it threw (with its class, message and
     * stack trace) or was refused, or its result could not be serialized (then
     * {@link RemoteActorException#remoteClassName()} is {@link MessageSerializationException}'s name), with
     * {@link MessageSerializationException} if an argument cannot be serialized (the process is then
     * terminated: the call never reached it), or with {@link ActorTerminatedException} (carrying the
     * {@link ExitStatus}) if the process ended without an answer (killed, terminated, or the
     * function called {@code System.exit}).
     */
    CompletableFuture<R> result();

    /**
     * Starts the process, which runs the function at once.
     *
     * @throws IllegalStateException if it was started before
     */
    @Override
    FunctionProcess<R> start();
}
