package io.procactor.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** The child processes of this JVM, for the leak checks. Stateless; thread-safe. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /** Pids of this JVM's live descendants now. */
    static Set<Long> snapshot() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Live descendants of this JVM that are not in {@code before}. */
    static List<ProcessHandle> liveExcept(Set<Long> before) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> !before.contains(p.pid())).toList();
    }

    static String describe(ProcessHandle p) {
        return "pid " + p.pid() + " [" + p.info().commandLine().orElse("?") + "]";
    }

    /**
     * Waits up to {@code grace} until no descendant of this JVM outside {@code before} is alive
     * (an exiting child takes a moment to be reaped). Those still alive then are killed, so they
     * cannot spoil later tests, and the test fails naming them.
     *
     * @param what what should have stopped them, for the message: "test method x()"
     * @throws AssertionError if any outlived the grace period
     */
    static void assertNoneLeft(Set<Long> before, Duration grace, String what) {
        try {
            await("no child process of the test JVM left after " + what).atMost(grace).pollInterval(Duration.ofMillis(50))
                    .until(() -> liveExcept(before).isEmpty());
        } catch (ConditionTimeoutException e) {
            List<ProcessHandle> left = liveExcept(before);
            if (left.isEmpty()) {
                return; // gone between the last poll and now
            }
            String list = left.stream().map(ChildProcesses::describe).collect(Collectors.joining("; "));
            left.forEach(ProcessHandle::destroyForcibly);
            throw new AssertionError(left.size() + " child process(es) outlived " + what + " by more than " + grace.toMillis()
                    + " ms: " + list + ". They have been killed now. Every process a test starts must have exited when it "
                    + "ends: close the ActorSystem (the extension closes the one it gave), Pool.close(), ActorProcess.terminate() "
                    + "and join(), or destroy() a process you started yourself.");
        }
    }
}
