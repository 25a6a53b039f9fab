package io.procactor.internal.core;

/**
 * Which procactor process this JVM is, for {@code io.procactor.CurrentProcess}: set once by a
 * child's runtime as it starts; unset in a node's JVM (and in any JVM that is not a child).
 *
 * <p>Thread-safe: one volatile write at a child's start, reads from anywhere.
 */
public final class ProcessIdentity {
    /** A child JVM's process name and its node's pid. */
    public record Child(String name, long nodePid) {
    }

    private static volatile Child child;

    private ProcessIdentity() {
    }

    /** Called by the child runtime before it runs any user code. */
    public static void child(String name, long nodePid) {
        child = new Child(name, nodePid);
    }

    /** This JVM as a child, or null in a node's (or any other) JVM. */
    public static Child child() {
        return child;
    }
}
