package io.procactor;

/** How a {@link Pool} picks the worker for each task. An enum: immutable and thread-safe. */
public enum Routing {
    /**
     * A free worker takes the next task: tasks wait on the node until a worker has room (see
     * {@link PoolOptions#prefetch}). Uneven tasks finish in about the time of the longest. Default.
     */
    WORK_PULLING,
    /** Each task goes to the next worker in turn, at once. */
    ROUND_ROBIN,
    /** Each task goes to a random worker, at once. */
    RANDOM,
    /**
     * Each task goes at once to the worker with the shortest queue: the mailbox depth the worker
     * reported with its last result, plus what was sent to it since.
     */
    LEAST_LOADED,
    /**
     * Tasks with equal keys ({@link PoolOptions#hashKey}) go to the same worker; a replaced worker
     * keeps its place on the ring, so keys stay where they were.
     */
    CONSISTENT_HASHING,
    /** Every task goes to every worker; a task's result is the list of the workers' results. */
    BROADCAST
}
