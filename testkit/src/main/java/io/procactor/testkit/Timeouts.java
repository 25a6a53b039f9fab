package io.procactor.testkit;

import java.time.Duration;

/**
 * The one setting every test timeout comes from: each bound is multiplied by
 * {@code -Dprocactor.test.time-factor} (default 1; e.g. {@code ./mvnw verify -Dprocactor.test.time-factor=3}
 * on a slow or busy machine). A bound is how long a test waits for something that must happen,
 * never how long it expects something to take. Immutable; thread-safe.
 */
public final class Timeouts {
    /** The factor, from the system property {@code procactor.test.time-factor}; at least 1. */
    public static final double FACTOR = Math.max(1.0, Double.parseDouble(System.getProperty("procactor.test.time-factor", "1")));

    private Timeouts() {
    }

    /** {@code d} times the factor. */
    public static Duration scaled(Duration d) {
        return Duration.ofMillis((long) Math.ceil(d.toMillis() * FACTOR));
    }

    /** {@code n} seconds times the factor. */
    public static Duration seconds(long n) {
        return scaled(Duration.ofSeconds(n));
    }
}
