package io.procactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.procactor.ExitStatus.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitStatusTest {

    @Test
    void exitCodeIsMinusTheSignalWhenASignalEndedTheProcess() {
        ExitStatus killed = new ExitStatus(-1, 9, Reason.KILLED, "killed", List.of());

        assertThat(killed.exitCode()).isEqualTo(-9);
        assertThat(killed.signalNumber()).hasValue(9);
        assertThat(killed.isClean()).isFalse();
        assertThat(killed.toString()).isEqualTo("killed (signal 9): killed");
    }

    @Test
    void exitCodeIsTheCodeWithoutASignal() {
        ExitStatus crashed = new ExitStatus(3, 0, Reason.CRASHED, "exited with code 3", List.of("boom"));

        assertThat(crashed.exitCode()).isEqualTo(3);
        assertThat(crashed.signalNumber()).isEmpty();
        assertThat(crashed.isClean()).isFalse();
        assertThat(crashed.stderrTail()).containsExactly("boom");
        assertThat(crashed.toString()).isEqualTo("crashed (exit code 3): exited with code 3");
    }

    @Test
    void cleanMeansCodeZeroNormalOrTerminated() {
        assertThat(new ExitStatus(0, 0, Reason.NORMAL, "", List.of()).isClean()).isTrue();
        assertThat(new ExitStatus(0, 0, Reason.TERMINATED, "", List.of()).isClean()).isTrue();
        assertThat(new ExitStatus(0, 0, Reason.KILLED, "", List.of()).isClean()).isFalse();
        assertThat(new ExitStatus(-1, 15, Reason.TERMINATED, "", List.of()).isClean()).isFalse();
        assertThat(new ExitStatus(1, 0, Reason.NORMAL, "", List.of()).isClean()).isFalse();
    }

    @Test
    void detailDefaultsToEmptyAndTheTailIsAnImmutableCopy() {
        List<String> tail = new ArrayList<>(List.of("a"));
        ExitStatus s = new ExitStatus(0, 0, Reason.NORMAL, null, tail);
        tail.add("b");

        assertThat(s.detail()).isEmpty();
        assertThat(s.stderrTail()).containsExactly("a");
        assertThatThrownBy(() -> s.stderrTail().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(s.toString()).isEqualTo("normal (exit code 0)");
    }

    @Test
    void reasonIsRequired() {
        assertThatThrownBy(() -> new ExitStatus(0, 0, null, "", List.of())).isInstanceOf(NullPointerException.class);
    }
}
