package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OTP restart intensity: allowed while, counting this restart, at most maxRestarts fall within the
 * window. Each row: limits, the times (ms) at which restarts are asked for, and the decisions as
 * "ok n" (allowed, n in the window) or "no n" (refused).
 */
class RestartWindowTest {

    static Stream<Arguments> table() {
        return Stream.of(
                arguments("the limit itself is allowed, one more is not", 3, 5_000,
                        List.of(ms(0), ms(1_000), ms(2_000), ms(3_000)), List.of("ok 1", "ok 2", "ok 3", "no 4")),
                arguments("restarts older than the window no longer count", 3, 5_000,
                        List.of(ms(0), ms(1_000), ms(2_000), ms(6_000)), List.of("ok 1", "ok 2", "ok 3", "ok 3")),
                arguments("a restart exactly one window old still counts", 1, 1_000,
                        List.of(ms(0), ms(1_000)), List.of("ok 1", "no 2")),
                arguments("one nanosecond later it has left the window", 1, 1_000,
                        List.of(ms(0), ms(1_000).plusNanos(1)), List.of("ok 1", "ok 1")),
                arguments("maxRestarts 0 refuses the first restart", 0, 1_000,
                        List.of(ms(0)), List.of("no 1")),
                arguments("a refused restart is not recorded", 1, 10_000,
                        List.of(ms(0), ms(1_000), ms(10_500)), List.of("ok 1", "no 2", "ok 1")),
                arguments("restarts at the same instant count separately", 2, 1_000,
                        List.of(ms(7), ms(7), ms(7)), List.of("ok 1", "ok 2", "no 3")),
                arguments("a steady rate below the limit goes on forever", 2, 1_000,
                        List.of(ms(0), ms(600), ms(1_200), ms(1_800), ms(2_400)), List.of("ok 1", "ok 2", "ok 2", "ok 2", "ok 2")));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String why, int maxRestarts, long withinMillis, List<Duration> at, List<String> expected) {
        ManualTicker ticker = new ManualTicker();
        RestartWindow window = new RestartWindow(ticker);
        List<String> decisions = new ArrayList<>();
        for (Duration t : at) {
            ticker.advance(t.minusNanos(ticker.nanoTime()));
            RestartWindow.Decision d = window.tryRestart(maxRestarts, Duration.ofMillis(withinMillis));
            decisions.add((d.allowed() ? "ok " : "no ") + d.count());
        }
        assertThat(decisions).isEqualTo(expected);
    }

    @Test
    void theLimitsOfEachCallApply() {
        // an actor's supervisor can hand out a different strategy after a restart
        ManualTicker ticker = new ManualTicker();
        RestartWindow window = new RestartWindow(ticker);
        assertThat(window.tryRestart(5, Duration.ofMinutes(1)).allowed()).isTrue();
        assertThat(window.tryRestart(5, Duration.ofMinutes(1)).allowed()).isTrue();

        ticker.advance(Duration.ofSeconds(2));

        assertThat(window.tryRestart(2, Duration.ofMinutes(1))).isEqualTo(new RestartWindow.Decision(false, 3));
        assertThat(window.tryRestart(2, Duration.ofSeconds(1))).isEqualTo(new RestartWindow.Decision(true, 1));
    }
}
