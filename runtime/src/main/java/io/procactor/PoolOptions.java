package io.procactor;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a {@link Pool} is built and behaves. Immutable: every {@code with}-style method returns a
 * copy. Thread-safe.
 *
 * <pre>{@code
 * PoolOptions.size(4).routing(Routing.ROUND_ROBIN).maxTasksPerChild(1000).retries(1)
 * }</pre>
 */
public final class PoolOptions {
    private final String name;
    private final int size;
    private final Routing routing;
    private final int chunkSize;
    private final int prefetch;
    private final int maxTasksPerChild;
    private final int retries;
    private final Duration taskTimeout;
    private final Object initializer;
    private final Function<Object, Object> hashKey;
    private final ProcessOptions workerOptions;

    private PoolOptions(String name, int size, Routing routing, int chunkSize, int prefetch, int maxTasksPerChild,
                        int retries, Duration taskTimeout, Object initializer, Function<Object, Object> hashKey,
                        ProcessOptions workerOptions) {
        this.name = name;
        this.size = size;
        this.routing = routing;
        this.chunkSize = chunkSize;
        this.prefetch = prefetch;
        this.maxTasksPerChild = maxTasksPerChild;
        this.retries = retries;
        this.taskTimeout = taskTimeout;
        this.initializer = initializer;
        this.hashKey = hashKey;
        this.workerOptions = workerOptions;
    }

    /** Defaults: one worker per core ({@code availableProcessors()}, Python's {@code cpu_count()}), work pulling. */
    public static PoolOptions defaults() {
        return new PoolOptions(null, Runtime.getRuntime().availableProcessors(), Routing.WORK_PULLING, 0, 0, 0, 0,
                Duration.ZERO, null, Function.identity(),
                ProcessOptions.defaults());
    }

    /** Defaults with {@code n} workers. */
    public static PoolOptions size(int n) {
        return defaults().withSize(n);
    }

    public PoolOptions withSize(int n) {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("pool size must be between 1 and 1024, was [" + n + "]");
        }
        return new PoolOptions(name, n, routing, chunkSize, prefetch, maxTasksPerChild, retries, taskTimeout, initializer,
                hashKey, workerOptions);
    }

    /** The pool's name: worker processes are named {@code name-1}, {@code name-2}, ... Default: {@code pool-N}. */
    public PoolOptions name(String poolName) {
        return new PoolOptions(Objects.requireNonNull(poolName, "name"), size, routing, chunkSize, prefetch, maxTasksPerChild,
                retries, taskTimeout, initializer, hashKey, workerOptions);
    }

    public PoolOptions routing(Routing r) {
        return new PoolOptions(name, size, Objects.requireNonNull(r, "routing"), chunkSize, prefetch, maxTasksPerChild,
                retries, taskTimeout, initializer, hashKey, workerOptions);
    }

    /**
     * Items per message in {@link Pool#map}; 0 (default) picks one so each worker gets about four
     * chunks, as Python's {@code Pool.map} does. 1 sends one message per item.
     */
    public PoolOptions chunkSize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("chunkSize must be 0 (automatic) or positive, was [" + n + "]");
        }
        return new PoolOptions(name, size, routing, n, prefetch, maxTasksPerChild, retries, taskTimeout, initializer,
                hashKey, workerOptions);
    }

    /**
     * With {@link Routing#WORK_PULLING}: messages in flight per worker. 0 (default) adapts: one for
     * tasks of a millisecond or more, more for shorter tasks so that about a millisecond of work
     * is queued on each worker (up to 256).
     */
    public PoolOptions prefetch(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("prefetch must be 0 (adaptive) or positive, was [" + n + "]");
        }
        return new PoolOptions(name, size, routing, chunkSize, n, maxTasksPerChild, retries, taskTimeout, initializer,
                hashKey, workerOptions);
    }

    /** Replace a worker JVM after it completed {@code n} tasks (drained first, nothing lost); 0 = never. */
    public PoolOptions maxTasksPerChild(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxTasksPerChild must be 0 (never recycle) or positive, was [" + n + "]");
        }
        return new PoolOptions(name, size, routing, chunkSize, prefetch, n, retries, taskTimeout, initializer,
                hashKey, workerOptions);
    }

    /**
     * How many times a task whose worker died is sent again before it fails; 0 (default) = fail at
     * once. It is sent again to a worker that is up (never to a replacement still starting), after
     * the work queued before it. Work routed to a worker that dies before it started is not lost
     * and does not count.
     */
    public PoolOptions retries(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, was [" + n + "]");
        }
        return new PoolOptions(name, size, routing, chunkSize, prefetch, maxTasksPerChild, n, taskTimeout, initializer,
                hashKey, workerOptions);
    }

    /**
     * A task not finished this long after it was sent to a worker fails with {@link AskTimeoutException}
     * (time spent queued on the node or waiting for the worker to start, i.e. its JVM, its actor's
     * constructor and preStart and the {@link #initializer}, does not count; a retry starts a new
     * period). Each task has it to itself: a chunk of {@code k} tasks has {@code k} times the
     * timeout, counted from when its worker is done with what it was sent before (not from when
     * it waited behind that); zero (default) = no
     * limit. The worker is then stopped (terminated: its grace period, then a kill) and replaced,
     * as Pebble's pool does, since a process can be stopped where a thread cannot: a task stuck for
     * ever does not keep its worker, nor a pool of one and its {@code close()}. The other tasks
     * it had been sent go to the replacement, or another worker, without counting as an attempt.
     */
    public PoolOptions taskTimeout(Duration t) {
        if (t.isNegative()) {
            throw new IllegalArgumentException("taskTimeout must be zero (none) or positive, was [" + t + "]");
        }
        return new PoolOptions(name, size, routing, chunkSize, prefetch, maxTasksPerChild, retries, t, initializer,
                hashKey, workerOptions);
    }

    /** A message every new worker receives before its first task (Python's {@code initializer}). */
    public PoolOptions initializer(Object message) {
        return new PoolOptions(name, size, routing, chunkSize, prefetch, maxTasksPerChild, retries, taskTimeout, message,
                hashKey, workerOptions);
    }

    /** With {@link Routing#CONSISTENT_HASHING}: the key of a task; default the task itself. */
    public PoolOptions hashKey(Function<Object, Object> key) {
        return new PoolOptions(name, size, routing, chunkSize, prefetch, maxTasksPerChild, retries, taskTimeout, initializer,
                Objects.requireNonNull(key, "key"), workerOptions);
    }

    /**
     * Extra JVM options for every worker JVM (after {@code procactor.process.jvm-options}), e.g.
     * {@code "-Xmx256m"}. Default: none.
     */
    public PoolOptions jvmOptions(String... options) {
        return new PoolOptions(name, size, routing, chunkSize, prefetch, maxTasksPerChild, retries, taskTimeout, initializer, hashKey,
                workerOptions.jvmOptions(options));
    }

    /** Extra environment variables for every worker JVM. Default: none. */
    public PoolOptions environment(java.util.Map<String, String> env) {
        return new PoolOptions(name, size, routing, chunkSize, prefetch, maxTasksPerChild, retries, taskTimeout, initializer, hashKey,
                workerOptions.environment(env));
    }

    /**
     * Where the workers run (see {@link Placement}): {@link Placement#spread()} spreads them over the
     * cluster's host agents, fewest of this node's processes first; a worker whose host is lost is
     * replaced on another. Default: {@link Placement#local()}.
     */
    public PoolOptions placement(Placement where) {
        return new PoolOptions(name, size, routing, chunkSize, prefetch, maxTasksPerChild, retries, taskTimeout, initializer, hashKey,
                workerOptions.placement(where));
    }

    /** How each worker JVM is started: {@link #jvmOptions} and {@link #environment}; never restarted (the pool replaces dead workers). */
    public ProcessOptions workerOptions() {
        return workerOptions;
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public Routing routing() {
        return routing;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int prefetch() {
        return prefetch;
    }

    public int maxTasksPerChild() {
        return maxTasksPerChild;
    }

    public int retries() {
        return retries;
    }

    public Duration taskTimeout() {
        return taskTimeout;
    }

    public Object initializer() {
        return initializer;
    }

    public Function<Object, Object> hashKey() {
        return hashKey;
    }

    @Override
    public String toString() {
        return "PoolOptions[size=" + size + ", routing=" + routing + ", chunkSize=" + chunkSize + ", prefetch=" + prefetch
                + ", maxTasksPerChild=" + maxTasksPerChild + ", retries=" + retries + ", taskTimeout=" + taskTimeout
                + (workerOptions.jvmOptions().isEmpty() ? "" : ", jvmOptions=" + workerOptions.jvmOptions())
                + (workerOptions.environment().isEmpty() ? "" : ", environment=" + workerOptions.environment().keySet()) + "]";
    }
}
