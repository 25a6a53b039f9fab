package io.procactor;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a child process ended: what the node observed, never a guess among causes. The child tells
 * the node why it is exiting when it exits on its own (actors done, terminated, startup failed);
 * otherwise the node reads the OS exit status: a signal, or an exit code nobody announced.
 *
 * <p>Immutable and thread-safe.
 *
 * @param code       the exit code, or -1 when a signal ended the process
 * @param signal     the signal number that ended the process, or 0
 * @param reason     what happened
 * @param detail     one line of explanation
 * @param stderrTail the last lines the child wrote to stderr, or to stdout when it wrote nothing to stderr (a JVM
 *                   that cannot start says why on stdout); at most {@code procactor.process.stderr-tail-lines}
 */
public record ExitStatus(int code, int signal, Reason reason, String detail, List<String> stderrTail) {

    /** What ended the process. */
    public enum Reason {
        /** Its actors finished (or its code called {@code System.exit(0)}). */
        NORMAL,
        /** Stopped on request ({@code terminate()}, system shutdown or SIGTERM). */
        TERMINATED,
        /** Killed on request ({@code kill()}) or by SIGKILL from outside. */
        KILLED,
        /** Exited with a non-zero code or died of a signal other than SIGTERM/SIGKILL. */
        CRASHED,
        /** Ran out of memory ({@code OutOfMemoryError}). */
        OUT_OF_MEMORY,
        /**
         * Never became ready: the JVM did not start, its handshake with the node failed, or an actor's
         * constructor or preStart threw.
         */
        STARTUP_FAILED,
        /** Stopped answering heartbeats and was killed. */
        UNRESPONSIVE,
        /** Its node went away, so it halted. */
        PARENT_LOST,
        /**
         * The host it ran on (a host agent) is lost to the cluster: its coordination session expired or
         * it left, so the process is dead for everyone; {@link #nodeLost()} names the lost member.
         */
        NODE_LOST
    }

    private static final java.util.regex.Pattern NODE_LOST_DETAIL = java.util.regex.Pattern.compile("^node (\\S+)@(\\S+) is lost");

    /**
     * The status of a process whose host, cluster member {@code host@incarnation}, was lost; its
     * detail is {@link NodeLostException}'s message, so the cause survives the wire.
     */
    public static ExitStatus nodeLost(String host, String incarnation) {
        return new ExitStatus(-1, 0, Reason.NODE_LOST, new NodeLostException(host, incarnation).getMessage(), List.of());
    }

    /** With {@link Reason#NODE_LOST}: the cause, naming the lost host and incarnation; else empty. */
    public java.util.Optional<NodeLostException> nodeLost() {
        if (reason != Reason.NODE_LOST) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = NODE_LOST_DETAIL.matcher(detail);
        return m.find() ? java.util.Optional.of(new NodeLostException(m.group(1), m.group(2))) : java.util.Optional.empty();
    }

    /**
     * Exit code of a function process ({@code ActorSystem.run}) whose function threw, as Python's
     * {@code Process} exits with 1 when its target raises; the detail names the exception.
     */
    public static final int TASK_FAILED_CODE = 1;
    /** Exit code a child uses when it could not start: its handshake or set-up failed, or a hosted actor could not be created. */
    public static final int STARTUP_FAILED_CODE = 64;
    /** Exit code a child uses when it lost its node (stdin or control connection closed). */
    public static final int PARENT_LOST_CODE = 65;
    /** Exit code a child uses when an actor's failure went past its supervisor (escalate, or restart intensity exceeded). */
    public static final int ESCALATED_CODE = 70;

    public ExitStatus {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        stderrTail = List.copyOf(stderrTail);
    }

    /** The signal, if one ended the process. */
    public OptionalInt signalNumber() {
        return signal > 0 ? OptionalInt.of(signal) : OptionalInt.empty();
    }

    /** Python's {@code exitcode}: the exit code, or {@code -N} when signal N ended the process. */
    public int exitCode() {
        return signal > 0 ? -signal : code;
    }

    /** True when the process ended as planned: normally or terminated on request, with code 0. */
    public boolean isClean() {
        return signal == 0 && code == 0 && (reason == Reason.NORMAL || reason == Reason.TERMINATED);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        b.append(signal > 0 ? " (signal " + signal + ")" : " (exit code " + code + ")");
        if (!detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }
}
