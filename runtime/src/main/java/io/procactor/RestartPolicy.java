package io.procactor;

import java.time.Duration;
import java.util.Objects;

/**
 * When the node respawns a child process that died, re-creating its actors (Erlang/OTP's child
 * restart types). Refs to its actors keep working across the respawn; asks that were in flight
 * fail at once with {@link ActorTerminatedException}.
 *
 * <p>Restart intensity: more than {@code maxRestarts} restarts within {@code within} and the node
 * gives up (the process stays down and the log says so). Between restarts the node waits an
 * exponential backoff from {@code minBackoff} to {@code maxBackoff}, stretched by up to
 * {@code jitter} (0.2 = 20%) so that crash-looping processes do not restart in lockstep.
 *
 * <p>Immutable and thread-safe.
 */
public record RestartPolicy(Type type, int maxRestarts, Duration within, Duration minBackoff, Duration maxBackoff,
                            double jitter) {

    /** Which exits lead to a restart. */
    public enum Type {
        /** Always restarted, whatever the exit (unless stopped on request). */
        PERMANENT,
        /** Restarted only after an abnormal exit (not a clean exit with code 0). */
        TRANSIENT,
        /** Never restarted: Python's {@code Process}. The default. */
        TEMPORARY
    }

    public RestartPolicy {
        Objects.requireNonNull(type, "type");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be 0 or more, was [" + maxRestarts + "]");
        }
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("within must be positive, was [" + within + "]");
        }
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= min <= max, was [" + minBackoff + ", " + maxBackoff + "]");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was [" + jitter + "]");
        }
    }

    /** Never restart. */
    public static RestartPolicy temporary() {
        return of(Type.TEMPORARY);
    }

    /** Always restart: at most 3 restarts in 5 s, backoff 100 ms doubling to 10 s, 20% jitter. */
    public static RestartPolicy permanent() {
        return of(Type.PERMANENT);
    }

    /** Restart after abnormal exits only, with {@link #permanent()}'s limits. */
    public static RestartPolicy transientRestarts() {
        return of(Type.TRANSIENT);
    }

    public static RestartPolicy of(Type type) {
        return new RestartPolicy(type, 3, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(10), 0.2);
    }

    /** At most {@code n} restarts within {@code window}; one more and the node gives up. */
    public RestartPolicy withIntensity(int n, Duration window) {
        return new RestartPolicy(type, n, window, minBackoff, maxBackoff, jitter);
    }

    public RestartPolicy withBackoff(Duration min, Duration max, double jitterFraction) {
        return new RestartPolicy(type, maxRestarts, within, min, max, jitterFraction);
    }

    /** Whether an incarnation that ended with {@code status} is restarted under this policy. */
    public boolean restartsAfter(ExitStatus status) {
        return switch (type) {
            case PERMANENT -> true;
            case TRANSIENT -> !status.isClean();
            case TEMPORARY -> false;
        };
    }

    /** The wait before restart number {@code attempt} (1-based), without jitter. */
    public Duration backoff(int attempt) {
        long min = Math.max(1, minBackoff.toMillis());
        long millis = attempt >= 31 ? Long.MAX_VALUE : min << Math.max(0, attempt - 1);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
