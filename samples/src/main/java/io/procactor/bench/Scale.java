package io.procactor.bench;

import java.time.Duration;

/**
 * How big each benchmark runs: {@link #standard()} for figures, {@link #tiny()} for a test that
 * only checks that every workload runs and reports.
 *
 * <p>Immutable and thread-safe.
 *
 * @param warmups rounds run and thrown away before the measured ones
 * @param rounds measured rounds per figure (at least 3 for a figure; the median is reported)
 * @param floorRoundTrips socket ping-pongs per floor round
 * @param tellMessages one-way messages per tell round (a multiple of {@link Sink#ACK_EVERY})
 * @param tellWindow messages a tell producer may have unacknowledged
 * @param asks asks per round, one in flight
 * @param pipelinedAsks asks per round, {@link #IN_FLIGHT} in flight
 * @param requests actor-to-actor requests per round, one in flight
 * @param pipelinedRequests actor-to-actor requests per round, {@link #IN_FLIGHT} in flight
 * @param spawnMany children spawned at once in the "spawn many" figure
 * @param memoryChildren idle children whose RSS and PSS are read (one value per child)
 * @param manyChildren children of the memory200 figure
 * @param idleChildren children of the idle-CPU figure
 * @param idleTime length of one idle-CPU round
 * @param settle time a freshly started child is left alone before its memory or idle CPU is read
 * @param poolTasks tasks of the automatic-chunk {@code Pool.map}; chunk size 1 and submit use a fifth and a tenth
 * @param cpuTaskRounds size of one CPU-bound task of the pool speed-up figure
 */
public record Scale(int warmups, int rounds, int floorRoundTrips, int tellMessages, int tellWindow, int asks,
                    int pipelinedAsks, int requests, int pipelinedRequests, int spawnMany, int memoryChildren,
                    int manyChildren, int idleChildren, Duration idleTime, Duration settle, int poolTasks,
                    int cpuTaskRounds) {
    /** Asks or requests kept in flight by the pipelined figures. */
    public static final int IN_FLIGHT = 64;

    public Scale {
        if (rounds < 1 || warmups < 0) {
            throw new IllegalArgumentException("rounds must be >= 1 and warmups >= 0, got rounds=" + rounds + " warmups=" + warmups);
        }
        if (tellMessages <= 0 || tellMessages % Sink.ACK_EVERY != 0) {
            throw new IllegalArgumentException("tellMessages must be a positive multiple of " + Sink.ACK_EVERY
                    + " (the sink acknowledges every " + Sink.ACK_EVERY + "), got " + tellMessages);
        }
        if (tellWindow < Sink.ACK_EVERY) {
            throw new IllegalArgumentException("tellWindow must be at least " + Sink.ACK_EVERY + " or the producer stalls, got " + tellWindow);
        }
    }

    /**
     * How long an idle child is left alone before its memory or idle CPU is read: past its JVM's
     * periodic housekeeping, which frees the JIT compilers' arenas every 5 s (HotSpot's chunk pool
     * cleaner), after which the next native-heap trim (every 5 s, see JdkFlags) gives them back to
     * the system: a child's RSS drops by 0.6-0.8 MiB (JDK 17) to 7 MiB (JDK 25) about 10 s after
     * start. 16 s, so that arenas the cleaner frees only at 10 s (compilations that went on past
     * 5 s, on a busy machine) are given back too.
     */
    static final Duration SETTLE = Duration.ofSeconds(16);

    /** The sizes {@code bin/procactor bench} uses: every figure 2 warm-up rounds and 5 measured ones. */
    public static Scale standard() {
        return new Scale(2, 5, 20_000, 1_000_000, 50_000, 20_000, 200_000, 20_000, 200_000, 10, 3, 200, 10,
                Duration.ofSeconds(5), SETTLE, 1_000_000, 60_000_000);
    }

    /** A few messages per workload, one round, no warm-up: checks the harness, measures nothing. */
    public static Scale tiny() {
        return new Scale(0, 1, 200, 10_000, 5_000, 200, 500, 200, 500, 2, 1, 2, 1,
                Duration.ofMillis(200), Duration.ZERO, 2_000, 1_000);
    }
}
