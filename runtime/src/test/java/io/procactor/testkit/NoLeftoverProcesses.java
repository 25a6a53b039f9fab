package io.procactor.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a child process of this JVM running after its last test.
 * Waits (bounded) because an exiting child may take a moment to be reaped.
 */
public final class NoLeftoverProcesses implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        await("no child process of the test JVM is left")
                .atMost(Timeouts.seconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> liveDescendants().isEmpty());
    }

    /** Live descendants of this JVM, described for failure messages. */
    public static List<String> liveDescendants() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.toList());
    }
}
