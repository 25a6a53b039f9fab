package io.procactor.testkit;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves a child process of this JVM running after its last test
 * ({@code @ExtendWith(NoLeftoverProcesses.class)}). Waits (bounded, {@link Timeouts#seconds}) because
 * an exiting child may take a moment to be reaped; those left then are named in the failure and
 * killed. {@link ProcactorExtension} does the same per test, for the systems it gives.
 *
 * <p>Stateless; thread-safe. Meant for test classes that run one at a time in their JVM.
 */
public final class NoLeftoverProcesses implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        ChildProcesses.assertNoneLeft(Set.of(), Timeouts.seconds(15), "test class " + context.getDisplayName());
    }

    /** Live descendants of this JVM, described ("pid command-line") for failure messages. */
    public static List<String> liveDescendants() {
        return ChildProcesses.liveExcept(Set.of()).stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.toList());
    }
}
