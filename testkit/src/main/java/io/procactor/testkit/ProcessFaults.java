package io.procactor.testkit;

import io.procactor.ActorProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Failures from outside, for failure tests: kill a child process as the OOM killer would
 * ({@code SIGKILL}), or stop and resume it ({@code SIGSTOP}/{@code SIGCONT}) as a debugger, a
 * swapped-out machine or a long GC pause would. The node is not told: it finds out as it would in
 * production (the process's exit; missing heartbeats after {@code procactor.process.heartbeat-timeout}).
 * Unlike {@link ActorProcess#kill()}, the exit is not one the node asked for.
 *
 * <p>Unix only (signals are sent with {@code kill}). Stateless; thread-safe.
 */
public final class ProcessFaults {
    private static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private ProcessFaults() {
    }

    /**
     * Sends {@code SIGKILL} to the process's JVM; returns at once (the node sees the exit soon after).
     *
     * @throws IllegalStateException if the process is not running
     */
    public static void kill(ActorProcess process) {
        long pid = process.pid();
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> gone(process, pid, "kill"));
        h.destroyForcibly(); // SIGKILL on Unix
    }

    /** Sends {@code SIGSTOP}: the process's JVM freezes (no messages, no heartbeats) until {@link #resume}. */
    public static void stop(ActorProcess process) {
        signal(process, "STOP");
    }

    /** Sends {@code SIGCONT}: a process frozen by {@link #stop} runs again. */
    public static void resume(ActorProcess process) {
        signal(process, "CONT");
    }

    /**
     * Sends signal {@code name} ({@code STOP}, {@code CONT}, {@code TERM}, {@code KILL}, ...) to the
     * process's JVM with {@code kill -NAME pid}.
     *
     * @throws IllegalArgumentException if {@code name} is not a signal name (upper-case letters and digits)
     * @throws IllegalStateException if the process is not running or {@code kill} fails
     */
    public static void signal(ActorProcess process, String name) {
        if (name == null || !name.matches("[A-Z0-9]+")) {
            throw new IllegalArgumentException("signal name [" + name + "] is invalid; use a name such as STOP, CONT or TERM");
        }
        long pid = process.pid();
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw gone(process, pid, "send SIG" + name + " to");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(Timeouts.scaled(KILL_COMMAND_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + name + " " + pid + " did not finish");
            }
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " (process " + process.name() + ") failed with exit code "
                        + kill.exitValue() + ": " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run `kill -" + name + " " + pid + "` for process " + process.name()
                    + " (signals need a Unix system with kill(1) on the PATH): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name + " to " + pid, e);
        }
    }

    private static IllegalStateException gone(ActorProcess process, long pid, String action) {
        return new IllegalStateException("cannot " + action + " process " + process.name() + ": its JVM (pid " + pid
                + ") is not running");
    }
}
