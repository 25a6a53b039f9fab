package io.procactor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * N child JVMs hosting one actor class each, used as an executor: Python's
 * {@code multiprocessing.Pool} and {@code ProcessPoolExecutor}, Akka's pool routers. A task is a
 * message; its result is the routee's reply. A pool made with {@link ActorSystem#pool(PoolOptions)}
 * takes functions instead ({@code pool.map(Main::square, xs, timeout)}, see {@link Task}). A task that throws fails only its own future
 * ({@link RemoteActorException}); a worker that dies is replaced and fails (or, with
 * {@link PoolOptions#retries}, resends) only the tasks it had; the pool never hangs and never
 * turns into a broken pool.
 *
 * <pre>{@code
 * try (Pool pool = system.pool(Props.create(Doubler.class), PoolOptions.size(3))) {
 *     List<Integer> doubled = pool.map(List.of(1, 2, 3), Duration.ofSeconds(10)); // [2, 4, 6]
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Pool extends AutoCloseable {
    String name();

    /** Worker processes now alive or starting, in index order. */
    List<ActorProcess> workers();

    /**
     * Queues one task.
     *
     * @throws IllegalStateException if the pool was closed or terminated
     */
    <R> CompletableFuture<R> submit(Object task);

    /**
     * Runs every input as a task (in chunks, see {@link PoolOptions#chunkSize}) and returns the
     * results in input order. If tasks failed, throws an exception of the type of the first failure in
     * input order (that failure is its cause) whose message says how many inputs failed and gives the
     * first failed indices, each with its cause. A reply or input that cannot be serialized, or one
     * larger than {@code procactor.transport.max-frame-size} by itself, fails its own task with
     * {@link MessageSerializationException}; a chunk's results larger than a frame together come
     * back in parts.
     *
     * @throws TimeoutException naming how many results were missing when {@code timeout} elapsed
     */
    <R> List<R> map(List<?> inputs, Duration timeout) throws InterruptedException, TimeoutException;

    /** {@link #map} without blocking: the future completes with the results in input order. */
    <R> CompletableFuture<List<R>> mapAsync(List<?> inputs);

    /**
     * Runs every input as a task and yields results as they complete (Python's
     * {@code imap_unordered}). The iterator's {@code next()} blocks; it throws the failure of a
     * failed task, or an {@link AskTimeoutException} once {@code timeout} (for the whole run) elapsed.
     */
    <R> Iterable<R> mapUnordered(List<?> inputs, Duration timeout);

    // ---- functions as tasks: a pool made by ActorSystem.pool(PoolOptions) ----

    /**
     * Queues {@code fn(arg)} (Python's {@code pool.apply_async(f, (x,))}, {@code executor.submit(f, x)}).
     * The function must be written in a registered class (see {@link Task}).
     *
     * @throws MessageSerializationException if the function may not be sent (naming the class to register)
     * @throws IllegalStateException if this pool's workers run an actor of yours (they take messages), or it was closed
     */
    <T, R> CompletableFuture<R> submit(Task.Fn<? super T, ? extends R> fn, T arg);

    /** Queues {@code fn()}; see {@link #submit(Task.Fn, Object)}. */
    <R> CompletableFuture<R> submit(Task.Fn0<? extends R> fn);

    /**
     * Python's {@code pool.map(f, xs)}: {@code fn} applied to every input, in the workers'
     * processes, results in input order; as {@link #map(List, Duration)} otherwise. The function
     * must be written in a registered class (see {@link Task}); a function that throws fails its
     * input with a {@link RemoteActorException}.
     *
     * @throws MessageSerializationException if the function may not be sent (naming the class to register)
     * @throws IllegalStateException if this pool's workers run an actor of yours (they take messages)
     * @throws TimeoutException naming how many results were missing when {@code timeout} elapsed
     */
    <T, R> List<R> map(Task.Fn<? super T, ? extends R> fn, List<? extends T> inputs, Duration timeout)
            throws InterruptedException, TimeoutException;

    /** {@link #map(Task.Fn, List, Duration)} without blocking (Python's {@code map_async}). */
    <T, R> CompletableFuture<List<R>> mapAsync(Task.Fn<? super T, ? extends R> fn, List<? extends T> inputs);

    /** {@link #mapUnordered(List, Duration)} of a function (Python's {@code imap_unordered(f, xs)}). */
    <T, R> Iterable<R> mapUnordered(Task.Fn<? super T, ? extends R> fn, List<? extends T> inputs, Duration timeout);

    /** A ref that routes each message it receives to a worker, like a task; the worker replies to the sender. */
    ActorRef ref();

    /** Tasks queued on the node, not yet sent to a worker. */
    int queued();

    /**
     * How many tasks have finished since the pool was created: every item of a {@link #map},
     * {@link #mapAsync} or {@link #mapUnordered}, and every {@link #submit}, counts once when its
     * result or its failure (exception, timeout, lost worker, termination) has arrived. A task that
     * is resent after its worker died (see {@link PoolOptions#retries}) counts once, when it
     * finishes; a {@link Routing#BROADCAST} task counts once, when its future completes. Only ever
     * grows; cheap enough to poll for a progress display (take the value before a map starts as its
     * zero). A task is counted before its future completes, so once {@code map} returned or a
     * task's future completed, it is counted.
     */
    long completedTasks();

    /** Python's {@code close()} then {@code join()}: no new work; queued work finishes; workers exit; returns when they have. */
    @Override
    void close();

    /** Waits until every worker has exited (after {@link #close()} or {@link #terminate()}); returns whether they have. */
    boolean join(Duration timeout) throws InterruptedException;

    /**
     * Stops now: queued and running tasks fail with {@link ActorTerminatedException}; workers are
     * killed. Returns at once; {@link #join} waits.
     */
    void terminate();
}
