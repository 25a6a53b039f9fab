package io.procactor.internal.node;

import io.procactor.ExitStatus;
import io.procactor.RestartPolicy;
import io.procactor.internal.core.RestartWindow;
import io.procactor.internal.core.Ticker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether and when a child process's next incarnation starts after an exit: its
 * {@link RestartPolicy} says which exits restart, {@link RestartWindow} enforces its restart
 * intensity, {@link RestartBackoff} spaces the attempts. Not thread-safe: its {@link ChildHandle}
 * calls it under its lock, from the process reaper.
 */
final class ProcessRestarts {
    private static final Logger log = LoggerFactory.getLogger(ProcessRestarts.class);

    private final String name;
    private final RestartPolicy policy;
    private final RestartWindow window;
    private final RestartBackoff backoff;

    ProcessRestarts(String name, RestartPolicy policy, Ticker ticker, RestartBackoff backoff) {
        this.name = name;
        this.policy = policy;
        this.window = new RestartWindow(ticker);
        this.backoff = backoff;
    }

    /** The wait before the next incarnation after {@code status}, or null when this exit is final. */
    Duration next(ExitStatus status) {
        if (!policy.restartsAfter(status)) {
            return null;
        }
        RestartWindow.Decision d = window.tryRestart(policy.maxRestarts(), policy.within());
        if (!d.allowed()) {
            log.error("Process [{}] exceeded its restart intensity ({} restarts within {} ms); giving up: it stays down",
                    name, policy.maxRestarts(), policy.within().toMillis());
            return null;
        }
        return backoff.delay(policy, d.count());
    }
}
