package io.procactor.internal.node;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a JVM this node (or host agent) started has exited, seen on a thread of our own.
 * {@link Process#onExit()} cannot be trusted with that: on JDK 25 it completes on the common
 * {@code ForkJoinPool} (JDK 17 on the JDK's reaper thread), so application code that keeps the
 * common pool busy, e.g. a blocking {@code CompletableFuture.supplyAsync}, delays every exit the
 * node observes: a killed child's {@code join}, its restart, the failure of asks in flight to it.
 * Measured on JDK 25.0.3 with the pool's one worker blocked: {@code onExit} 19.8 s after a
 * SIGKILL, {@code waitFor} 0.7 ms. So one daemon thread per live process waits in
 * {@link Process#waitFor()}, which the JDK's own reaper thread wakes, and completes the future
 * (its dependents run on that thread). A {@link RemoteProcess}'s exit comes from its host agent.
 *
 * <p>Threads: thread-safe; one future per process however often it is asked for.
 */
final class ProcessExits {
    /** Enough for the dependents that run on the watcher: exit classification, logging, a restart's scheduling. */
    private static final long STACK_BYTES = 256 * 1024;
    private static final Map<Process, CompletableFuture<Process>> WATCHED = new ConcurrentHashMap<>();

    private ProcessExits() {
    }

    /** Completes with {@code process} once it has exited. */
    static CompletableFuture<Process> of(Process process) {
        if (process instanceof RemoteProcess) {
            return process.onExit(); // completed by the agent's connection, not by the JDK
        }
        return WATCHED.computeIfAbsent(process, ProcessExits::watch);
    }

    private static CompletableFuture<Process> watch(Process process) {
        CompletableFuture<Process> exited = new CompletableFuture<>();
        Thread watcher = new Thread(null, () -> {
            boolean interrupted = false;
            while (true) {
                try {
                    process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // nobody should interrupt it; keep waiting, and keep the flag
                }
            }
            WATCHED.remove(process);
            exited.complete(process);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }, "procactor-exit-" + process.pid(), STACK_BYTES);
        watcher.setDaemon(true);
        watcher.start();
        return exited;
    }
}
