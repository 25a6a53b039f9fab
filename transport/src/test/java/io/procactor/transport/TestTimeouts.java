package io.procactor.transport;

import java.time.Duration;

/**
 * The transport's tests' bounds, multiplied by {@code -Dprocactor.test.time-factor} as every other
 * test's (see the testkit's {@code Timeouts}, which this module cannot use: the testkit depends on
 * the runtime, which depends on the transport). A bound is how long a test waits for what must
 * happen, never how long it expects it to take. Immutable; thread-safe.
 */
public final class TestTimeouts {
    private static final double FACTOR = Math.max(1.0, Double.parseDouble(System.getProperty("procactor.test.time-factor", "1")));

    private TestTimeouts() {
    }

    /** {@code n} seconds times the factor. */
    public static Duration seconds(long n) {
        return Duration.ofMillis((long) Math.ceil(n * 1000 * FACTOR));
    }
}
