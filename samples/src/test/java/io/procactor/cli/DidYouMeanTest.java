package io.procactor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.samples.Sample;
import io.procactor.samples.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guesses behind the CLI's did-you-mean hints, in this JVM: which typos find their name and which find none. */
class DidYouMeanTest {
    private static final List<String> COMMANDS = List.of("run", "config", "ps", "samples", "sample", "bench", "help");
    private static final List<String> SAMPLES = Samples.all().stream().map(Sample::name).toList();

    @Test
    void aSwapOfNeighbouringLettersIsOneEdit() {
        assertThat(DidYouMean.distance("rnu", "run")).isEqualTo(1);
        assertThat(DidYouMean.closest("rnu", COMMANDS)).contains("run");
        assertThat(DidYouMean.closest("smaple", COMMANDS)).contains("sample");
        assertThat(DidYouMean.closest("sampels", COMMANDS)).contains("samples");
    }

    @Test
    void typosOfSampleNamesFindThem() {
        assertThat(DidYouMean.closest("helo", SAMPLES)).contains("hello");
        assertThat(DidYouMean.closest("pingpong", SAMPLES)).contains("ping-pong");
        assertThat(DidYouMean.closest("Sleepers", SAMPLES)).contains("sleepers");
        assertThat(DidYouMean.closest("cpu_count", SAMPLES)).contains("cpu-count");
    }

    @Test
    void aNameFarFromEveryOneGetsNoGuess() {
        assertThat(DidYouMean.closest("nope", SAMPLES)).isEmpty();
        assertThat(DidYouMean.closest("zzz", COMMANDS)).isEmpty();
        assertThat(DidYouMean.hint("deploy", COMMANDS)).isEmpty();
        assertThat(DidYouMean.hint("confg", COMMANDS)).isEqualTo("; did you mean config?");
    }
}
