package io.procactor.internal.node;

import io.procactor.ExitStatus;
import io.procactor.ExitStatus.Reason;
import java.time.Duration;
import java.util.List;

/**
 * Turns what the node observed about one child JVM's end into its {@link ExitStatus}: never a guess
 * among causes. The child's own notice of why it exits wins; then what the node itself did (killed
 * it as unresponsive, on request, after the terminate grace period, or at the start timeout); then
 * the OS exit status (a signal, or a code only a JVM that never became ready, or its actor code,
 * can have produced). The exit code and signal always come from the OS.
 *
 * <p>Immutable and thread-safe: the timeouts only word the detail text.
 */
final class ExitClassifier {

    /** The child's {@code Exiting} notice: an {@link Reason} name and one line of detail. */
    record Notice(String reason, String detail) {
    }

    /**
     * What the node saw of one incarnation by the time its JVM was gone.
     *
     * @param exitValue          the OS exit value ({@link Process#exitValue()}): 128 + N for signal N
     * @param notice             the child's notice of why it exits, or null when none arrived
     * @param unresponsive       the node killed it for missing heartbeats
     * @param killRequested      {@code kill()} was called
     * @param terminateEscalated {@code terminate()}'s grace period ran out and the node killed it
     * @param startTimedOut      it did not connect within the start timeout and the node killed it
     * @param stopRequested      {@code terminate()} or {@code kill()} was called
     * @param connected          it connected to the node and proved its token
     * @param listening          it reported its peer endpoint ({@code ChildReady}): its set-up finished
     * @param stderrTail         its last stderr lines, or stdout's when stderr was empty
     */
    record Observation(int exitValue, Notice notice, boolean unresponsive, boolean killRequested,
                       boolean terminateEscalated, boolean startTimedOut, boolean stopRequested, boolean connected,
                       boolean listening, List<String> stderrTail) {
    }

    private final long heartbeatTimeoutMillis;
    private final long terminateGraceMillis;
    private final long startTimeoutMillis;

    ExitClassifier(Duration heartbeatTimeout, Duration terminateGracePeriod, Duration startTimeout) {
        this.heartbeatTimeoutMillis = heartbeatTimeout.toMillis();
        this.terminateGraceMillis = terminateGracePeriod.toMillis();
        this.startTimeoutMillis = startTimeout.toMillis();
    }

    /**
     * @throws IllegalArgumentException when the notice names no {@link Reason}
     */
    ExitStatus classify(Observation o) {
        int value = o.exitValue();
        List<String> tail = o.stderrTail();
        int signal = value > 128 && value <= 128 + 64 ? value - 128 : 0;
        int code = signal > 0 ? -1 : value;
        Notice n = o.notice();
        if (n != null) {
            // the notice says why; the OS says how (a SIGTERM can end the JVM after the notice was sent)
            return new ExitStatus(code, signal, Reason.valueOf(n.reason()), n.detail(), tail);
        }
        if (o.unresponsive()) {
            return new ExitStatus(code, signal, Reason.UNRESPONSIVE, "sent no heartbeat within "
                    + heartbeatTimeoutMillis + " ms; killed", tail);
        }
        if (o.killRequested()) {
            return new ExitStatus(code, signal, Reason.KILLED, "killed on request (kill())", tail);
        }
        if (o.terminateEscalated()) {
            return new ExitStatus(code, signal, Reason.TERMINATED, "did not exit within the grace period of "
                    + terminateGraceMillis + " ms after terminate(); killed", tail);
        }
        if (o.startTimedOut()) {
            return new ExitStatus(code, signal, Reason.STARTUP_FAILED, "did not connect within "
                    + startTimeoutMillis + " ms; killed", tail);
        }
        // 3 is the JVM's exit code under -XX:+ExitOnOutOfMemoryError; otherwise any exit not by a signal that printed the error
        if (value == 3 && tail.stream().anyMatch(l -> l.contains("OutOfMemoryError"))
                || signal == 0 && tail.stream().anyMatch(l -> l.contains("java.lang.OutOfMemoryError"))) {
            return new ExitStatus(code, signal, Reason.OUT_OF_MEMORY, "ran out of memory: " + oomLine(tail), tail);
        }
        if (signal == 9) {
            return new ExitStatus(code, signal, Reason.KILLED, "killed by SIGKILL from outside procactor", tail);
        }
        if (signal == 15) {
            return new ExitStatus(code, signal, Reason.TERMINATED,
                    o.stopRequested() ? "terminated on request" : "SIGTERM from outside procactor", tail);
        }
        if (signal > 0) {
            return new ExitStatus(code, signal, Reason.CRASHED, "died of signal " + signal, tail);
        }
        if (code == ExitStatus.PARENT_LOST_CODE) {
            return new ExitStatus(code, 0, Reason.PARENT_LOST, "lost its connection to the node", tail);
        }
        if (!o.connected()) {
            return new ExitStatus(code, 0, Reason.STARTUP_FAILED, "exited with code " + code + " before connecting to the node", tail);
        }
        if (code == ExitStatus.STARTUP_FAILED_CODE && !o.listening()) {
            // the node accepts a child before the child checks the WELCOME, so a failed handshake leaves no notice
            return new ExitStatus(code, 0, Reason.STARTUP_FAILED, "connected to the node, then exited with code " + code
                    + " before it was ready: its handshake or set-up failed (the stderr tail says why)", tail);
        }
        if (code == 0) {
            return new ExitStatus(0, 0, Reason.NORMAL, "exited with code 0 (System.exit in actor code)", tail);
        }
        return new ExitStatus(code, 0, Reason.CRASHED, "exited with code " + code, tail);
    }

    private static String oomLine(List<String> tail) {
        return tail.stream().filter(l -> l.contains("OutOfMemoryError")).findFirst().orElse("OutOfMemoryError").trim();
    }
}
