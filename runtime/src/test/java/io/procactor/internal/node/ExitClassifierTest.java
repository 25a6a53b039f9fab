package io.procactor.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.procactor.ExitStatus;
import io.procactor.ExitStatus.Reason;
import io.procactor.internal.node.ExitClassifier.Notice;
import io.procactor.internal.node.ExitClassifier.Observation;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every branch of exit classification: a row is what the node observed (built from a ready child
 * that exited with some value, then changed) and the status it must report, detail text included.
 */
class ExitClassifierTest {
    private static final ExitClassifier CLASSIFIER =
            new ExitClassifier(Duration.ofMillis(3_000), Duration.ofMillis(5_000), Duration.ofMillis(30_000));
    private static final List<String> OOM_TAIL = List.of("Exception in thread \"main\"",
            "  java.lang.OutOfMemoryError: Java heap space  ", "\tat Foo.bar(Foo.java:1)");
    private static final List<String> OOM_ON_EXIT_TAIL = List.of("Terminating due to OutOfMemoryError: Metaspace");
    private static final List<String> SOME_TAIL = List.of("some line");

    /** A child that connected and became ready, with nothing else observed. */
    private record Obs(int exitValue, Notice notice, boolean unresponsive, boolean killRequested,
                       boolean terminateEscalated, boolean startTimedOut, boolean stopRequested, boolean connected,
                       boolean listening, List<String> tail) {
        static Obs exited(int value) {
            return new Obs(value, null, false, false, false, false, false, true, true, SOME_TAIL);
        }

        Obs notice(String reason, String detail) {
            return new Obs(exitValue, new Notice(reason, detail), unresponsive, killRequested, terminateEscalated,
                    startTimedOut, stopRequested, connected, listening, tail);
        }

        Obs afterMissedHeartbeats() {
            return new Obs(exitValue, notice, true, killRequested, terminateEscalated, startTimedOut, stopRequested,
                    connected, listening, tail);
        }

        Obs afterKill() {
            return new Obs(exitValue, notice, unresponsive, true, terminateEscalated, startTimedOut, true, connected,
                    listening, tail);
        }

        Obs afterGraceExpired() {
            return new Obs(exitValue, notice, unresponsive, killRequested, true, startTimedOut, true, connected,
                    listening, tail);
        }

        Obs afterStartTimeout() {
            return new Obs(exitValue, notice, unresponsive, killRequested, terminateEscalated, true, stopRequested,
                    false, false, tail);
        }

        Obs afterStop() {
            return new Obs(exitValue, notice, unresponsive, killRequested, terminateEscalated, startTimedOut, true,
                    connected, listening, tail);
        }

        Obs neverConnected() {
            return new Obs(exitValue, notice, unresponsive, killRequested, terminateEscalated, startTimedOut,
                    stopRequested, false, false, tail);
        }

        Obs notListening() {
            return new Obs(exitValue, notice, unresponsive, killRequested, terminateEscalated, startTimedOut,
                    stopRequested, connected, false, tail);
        }

        Obs tail(List<String> lines) {
            return new Obs(exitValue, notice, unresponsive, killRequested, terminateEscalated, startTimedOut,
                    stopRequested, connected, listening, lines);
        }

        Observation observation() {
            return new Observation(exitValue, notice, unresponsive, killRequested, terminateEscalated, startTimedOut,
                    stopRequested, connected, listening, tail);
        }

        @Override
        public String toString() {
            return "exit " + exitValue + (notice != null ? ", notice " + notice.reason() : "") + (unresponsive ? ", unresponsive" : "")
                    + (killRequested ? ", kill()" : "") + (terminateEscalated ? ", grace expired" : "")
                    + (startTimedOut ? ", start timed out" : "") + (stopRequested ? ", stop requested" : "")
                    + (connected ? "" : ", never connected") + (connected && !listening ? ", not listening" : "");
        }
    }

    private static ExitStatus status(int code, int signal, Reason reason, String detail) {
        return new ExitStatus(code, signal, reason, detail, SOME_TAIL);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // the child's notice says why; the OS says how
                row(Obs.exited(0).notice("NORMAL", "its actors finished"), status(0, 0, Reason.NORMAL, "its actors finished")),
                row(Obs.exited(143).notice("TERMINATED", "terminate() called on the node"),
                        status(-1, 15, Reason.TERMINATED, "terminate() called on the node")),
                row(Obs.exited(70).notice("CRASHED", "actor failed: x").afterMissedHeartbeats().afterKill(),
                        status(70, 0, Reason.CRASHED, "actor failed: x")),
                // then what the node itself did, in this order
                row(Obs.exited(137).afterMissedHeartbeats().afterKill(),
                        status(-1, 9, Reason.UNRESPONSIVE, "sent no heartbeat within 3000 ms; killed")),
                row(Obs.exited(137).afterKill().afterGraceExpired(),
                        status(-1, 9, Reason.KILLED, "killed on request (kill())")),
                row(Obs.exited(0).afterKill(), status(0, 0, Reason.KILLED, "killed on request (kill())")),
                row(Obs.exited(137).afterGraceExpired(), status(-1, 9, Reason.TERMINATED,
                        "did not exit within the grace period of 5000 ms after terminate(); killed")),
                row(Obs.exited(137).afterStartTimeout(), status(-1, 9, Reason.STARTUP_FAILED, "did not connect within 30000 ms; killed")),
                // out of memory: exit 3 (ExitOnOutOfMemoryError) with the error anywhere in the tail,
                // or any exit not by a signal with java.lang.OutOfMemoryError in it; the line is trimmed
                row(Obs.exited(3).tail(OOM_ON_EXIT_TAIL), new ExitStatus(3, 0, Reason.OUT_OF_MEMORY,
                        "ran out of memory: Terminating due to OutOfMemoryError: Metaspace", OOM_ON_EXIT_TAIL)),
                row(Obs.exited(1).tail(OOM_TAIL), new ExitStatus(1, 0, Reason.OUT_OF_MEMORY,
                        "ran out of memory: java.lang.OutOfMemoryError: Java heap space", OOM_TAIL)),
                row(Obs.exited(0).neverConnected().tail(OOM_TAIL), new ExitStatus(0, 0, Reason.OUT_OF_MEMORY,
                        "ran out of memory: java.lang.OutOfMemoryError: Java heap space", OOM_TAIL)),
                row(Obs.exited(1).tail(OOM_ON_EXIT_TAIL), new ExitStatus(1, 0, Reason.CRASHED, "exited with code 1", OOM_ON_EXIT_TAIL)),
                row(Obs.exited(137).tail(OOM_TAIL), new ExitStatus(-1, 9, Reason.KILLED,
                        "killed by SIGKILL from outside procactor", OOM_TAIL)),
                row(Obs.exited(3), status(3, 0, Reason.CRASHED, "exited with code 3")),
                // signals: exit values 129..192
                row(Obs.exited(137), status(-1, 9, Reason.KILLED, "killed by SIGKILL from outside procactor")),
                row(Obs.exited(143).afterStop(), status(-1, 15, Reason.TERMINATED, "terminated on request")),
                row(Obs.exited(143), status(-1, 15, Reason.TERMINATED, "SIGTERM from outside procactor")),
                row(Obs.exited(134), status(-1, 6, Reason.CRASHED, "died of signal 6")),
                row(Obs.exited(129), status(-1, 1, Reason.CRASHED, "died of signal 1")),
                row(Obs.exited(192), status(-1, 64, Reason.CRASHED, "died of signal 64")),
                row(Obs.exited(128), status(128, 0, Reason.CRASHED, "exited with code 128")),
                row(Obs.exited(193), status(193, 0, Reason.CRASHED, "exited with code 193")),
                // exit codes
                row(Obs.exited(65), status(65, 0, Reason.PARENT_LOST, "lost its connection to the node")),
                row(Obs.exited(65).neverConnected(), status(65, 0, Reason.PARENT_LOST, "lost its connection to the node")),
                row(Obs.exited(1).neverConnected(), status(1, 0, Reason.STARTUP_FAILED, "exited with code 1 before connecting to the node")),
                row(Obs.exited(0).neverConnected(), status(0, 0, Reason.STARTUP_FAILED, "exited with code 0 before connecting to the node")),
                row(Obs.exited(64).notListening(), status(64, 0, Reason.STARTUP_FAILED, "connected to the node, then exited with code 64"
                        + " before it was ready: its handshake or set-up failed (the stderr tail says why)")),
                row(Obs.exited(64), status(64, 0, Reason.CRASHED, "exited with code 64")),
                row(Obs.exited(1).notListening(), status(1, 0, Reason.CRASHED, "exited with code 1")),
                row(Obs.exited(0), status(0, 0, Reason.NORMAL, "exited with code 0 (System.exit in actor code)")),
                row(Obs.exited(0).afterStop(), status(0, 0, Reason.NORMAL, "exited with code 0 (System.exit in actor code)")),
                row(Obs.exited(70), status(70, 0, Reason.CRASHED, "exited with code 70")),
                row(Obs.exited(1), status(1, 0, Reason.CRASHED, "exited with code 1")));
    }

    private static Arguments row(Obs observed, ExitStatus expected) {
        return arguments(observed, expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void classifies(Obs observed, ExitStatus expected) {
        assertThat(CLASSIFIER.classify(observed.observation())).isEqualTo(expected);
    }

    @Test
    void aNoticeNamingNoReasonIsRefused() {
        Observation o = Obs.exited(0).notice("VANISHED", "?").observation();

        assertThatThrownBy(() -> CLASSIFIER.classify(o)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VANISHED");
    }
}
