package io.procactor.bench;

/**
 * What a figure measures, which decides what it is compared with: a latency percentile with the
 * same percentile of a floor's round trip, a throughput with a floor's round trips per second;
 * anything else (milliseconds to spawn, MiB, CPU time) with nothing.
 *
 * <p>Immutable and thread-safe.
 */
enum Kind {
    P50(50), P99(99), P999(99.9), THROUGHPUT(-1), OTHER(-1);

    final double percentile;

    Kind(double percentile) {
        this.percentile = percentile;
    }

    boolean isLatency() {
        return percentile > 0;
    }
}
