package io.procactor;

import io.procactor.internal.core.ProcessIdentity;
import java.util.OptionalLong;

/**
 * The process the calling code runs in, for code that has no {@link ActorContext}: a function run
 * by {@link ActorSystem#run} or a {@link Pool} worker. Python's {@code current_process()},
 * {@code os.getpid()} and {@code parent_process()}:
 *
 * <pre>{@code
 * static int square(int n) {
 *     System.out.println("Process ID: " + CurrentProcess.pid() + ", Process Name: " + CurrentProcess.name());
 *     return n * n;
 * }
 * }</pre>
 *
 * <p>Thread-safe: static reads of what the JVM was started as.
 */
public final class CurrentProcess {
    /** Python's name for the process that was not started by {@code multiprocessing}: the node's JVM here. */
    public static final String MAIN_PROCESS = "MainProcess";

    private CurrentProcess() {
    }

    /**
     * The name of this procactor process (the name it was spawned with, e.g. {@code square-3} or a
     * pool worker's {@code workers-2}), or {@value #MAIN_PROCESS} in the node's JVM.
     */
    public static String name() {
        ProcessIdentity.Child child = ProcessIdentity.child();
        return child == null ? MAIN_PROCESS : child.name();
    }

    /** This JVM's OS pid ({@code os.getpid()}). */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** The pid of the node that started this process ({@code parent_process().pid}); empty in the node's JVM. */
    public static OptionalLong parentPid() {
        ProcessIdentity.Child child = ProcessIdentity.child();
        return child == null ? OptionalLong.empty() : OptionalLong.of(child.nodePid());
    }

    /** True in a child JVM started by an {@link ActorSystem}, false in the node's. */
    public static boolean isChild() {
        return ProcessIdentity.child() != null;
    }
}
