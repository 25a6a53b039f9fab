package io.procactor.internal.core;

import io.procactor.internal.config.Settings;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Registrations;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ProcessCore} alone in its JVM's world, for in-JVM tests: no other process exists (every
 * route is {@link ProcessDirectory.Unknown}), its host hears nothing, its registrations are the
 * empty table. Executors, scheduler and clock are the test's.
 */
public final class LoneCore {
    /** A host that hears nothing: for tests of a core whose actors' starts and stops do not matter. */
    public static final ProcessHost QUIET_HOST = new ProcessHost() {
        @Override
        public void actorStarted(String name) {
        }

        @Override
        public void actorStopped(String name, Protocol.Failure startFailure) {
        }

        @Override
        public void escalated(RefImpl actor, Throwable cause) {
        }
    };

    private LoneCore() {
    }

    static ProcessCore create(String processName, Settings settings, RuntimeExecutors executors) {
        return create(processName, settings, executors, Map.of());
    }

    /**
     * A core whose other processes are what the test puts in {@code routes} (read at each lookup;
     * a process not in it is {@link ProcessDirectory.Unknown}, one routed {@link ProcessDirectory.Gone} has exited).
     */
    static ProcessCore create(String processName, Settings settings, RuntimeExecutors executors,
                              Map<String, ProcessDirectory.Route> routes) {
        return new ProcessCore("test", processName, ProcessHandle.current().pid(), settings, () -> Registrations.builder().build(), executors, QUIET_HOST,
                core -> new ProcessDirectory() {
                    @Override
                    public Route route(String process) {
                        return routes.getOrDefault(process, Unknown.INSTANCE);
                    }

                    @Override
                    public Optional<io.procactor.ExitStatus> exitStatus(String process) {
                        return routes.get(process) instanceof Gone g ? Optional.of(g.status()) : Optional.empty();
                    }
                });
    }
}
