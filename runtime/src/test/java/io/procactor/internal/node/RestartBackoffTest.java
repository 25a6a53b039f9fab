package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.procactor.RestartPolicy;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Exponential backoff from the policy, plus up to jitter × backoff, with the random draw fixed per row. */
class RestartBackoffTest {
    private static final RestartPolicy DEFAULT = RestartPolicy.permanent(); // 100 ms doubling to 10 s, jitter 0.2

    static Stream<Arguments> table() {
        return Stream.of(
                arguments("first restart, no jitter drawn", DEFAULT, 1, 0.0, 100),
                arguments("jitter stretches by policy.jitter x draw", DEFAULT, 1, 0.5, 110),
                arguments("doubling per attempt; jitter millis truncated", DEFAULT, 3, 0.999, 400 + 79),
                arguments("capped at maxBackoff, jitter on top", DEFAULT, 8, 0.5, 10_000 + 1_000),
                arguments("huge attempts stay capped", DEFAULT, 40, 0.0, 10_000),
                arguments("jitter 0 is exact", DEFAULT.withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1), 0), 2, 0.9, 100),
                arguments("a zero minimum still waits 1 ms", DEFAULT.withBackoff(Duration.ZERO, Duration.ofSeconds(1), 0), 1, 0.0, 1),
                arguments("full jitter almost doubles", DEFAULT.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1), 1,
                        0.9999, 1_000 + 999));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void delay(String why, RestartPolicy policy, int attempt, double draw, long expectedMillis) {
        assertThat(new RestartBackoff(() -> draw).delay(policy, attempt)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @Test
    void theRuntimesRandomStaysWithinTheJitter() {
        RestartBackoff backoff = RestartBackoff.withThreadLocalRandom();
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.delay(DEFAULT, 2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(240));
        }
    }
}
