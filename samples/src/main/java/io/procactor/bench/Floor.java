package io.procactor.bench;

/**
 * One floor measured in this run: the round trip of a 1-byte ping-pong over a Unix domain socket
 * between this JVM and a {@link FloorMain} process, by median over rounds.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name {@code block} or {@code spin}
 * @param p50 median round trip, microseconds
 * @param p99 99th percentile, microseconds
 * @param p999 99.9th percentile, microseconds
 * @param roundTripsPerSecond ping-pongs per second one at a time at the median round trip (1 / p50)
 */
record Floor(String name, double p50, double p99, double p999, double roundTripsPerSecond) {
    /** A figure over this floor: latency over the same percentile, throughput over round trips per second; NaN otherwise. */
    double ratio(Kind kind, double value) {
        return switch (kind) {
            case P50 -> value / p50;
            case P99 -> value / p99;
            case P999 -> value / p999;
            case THROUGHPUT -> value / roundTripsPerSecond;
            case OTHER -> Double.NaN;
        };
    }
}
