package io.procactor.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.testkit.NoLeftoverProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftoverProcesses.class)
class ProgressBarTest {
    @Test
    void rendersTheFilledShareThePercentageAndTheCounts() {
        assertThat(ProgressBar.render(0, 1_000_000, 10)).isEqualTo("[          ] 0% 0/1000000");
        assertThat(ProgressBar.render(520_000, 1_000_000, 10)).isEqualTo("[#####     ] 52% 520000/1000000");
        assertThat(ProgressBar.render(999_999, 1_000_000, 10)).isEqualTo("[######### ] 99% 999999/1000000");
        assertThat(ProgressBar.render(1_000_000, 1_000_000, 10)).isEqualTo("[##########] 100% 1000000/1000000");
        // no floating-point rounding: 29/100 is 29%, not 28%
        assertThat(ProgressBar.render(29, 100, 100)).endsWith("] 29% 29/100").contains("#".repeat(29) + " ");
    }

    @Test
    void clampsOutOfRangeValuesAndTreatsAnEmptyRunAsDone() {
        assertThat(ProgressBar.render(-5, 10, 4)).isEqualTo("[    ] 0% 0/10");
        assertThat(ProgressBar.render(12, 10, 4)).isEqualTo("[####] 100% 10/10");
        assertThat(ProgressBar.render(0, 0, 4)).isEqualTo("[####] 100% 0/0");
    }

    @Test
    void printsNothingWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong done = new AtomicLong();
        try (ProgressBar bar = ProgressBar.start(done::get, 10, false, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            done.set(10);
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void thePublicStartChecksForATerminalAndSurefireHasNone() {
        // surefire's forked JVM has its streams piped, as a redirected real run has
        assertThat(ProgressBar.hasTerminal()).isFalse();
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (ProgressBar bar = ProgressBar.start(() -> 5, 10)) {
            assertThat(bar).isNotNull();
        } finally {
            System.setErr(original);
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void onATerminalRedrawsInPlaceFromTheCountersStartAndEndsTheLineOnClose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong done = new AtomicLong(100); // earlier work the bar must not count
        try (ProgressBar bar = ProgressBar.start(done::get, 10, true, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            done.addAndGet(10);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        // close() draws the final state whatever the drawing thread saw before
        assertThat(out).startsWith("\r[").endsWith("\r" + ProgressBar.render(10, 10, ProgressBar.WIDTH) + System.lineSeparator());
        assertThat(out).doesNotContain("110");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("progress-bar"));
    }
}
