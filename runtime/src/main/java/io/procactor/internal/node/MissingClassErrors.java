package io.procactor.internal.node;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Says what to do when a child could not start because a class was missing: the JVM found no main
 * class ({@code Could not find or load main class}), or the actor's class, or one it needs, was not
 * on the child's class path ({@code ClassNotFoundException}, {@code NoClassDefFoundError}). The
 * answer shows the class path the child got (shortened), where it came from, and how to set it.
 * Stateless; thread-safe.
 */
final class MissingClassErrors {
    private static final List<String> SIGNS = List.of("Could not find or load main class", "ClassNotFoundException",
            "NoClassDefFoundError");

    private MissingClassErrors() {
    }

    /**
     * @param text      what the child or its JVM said: an exit detail, a failure message, stderr lines
     * @param classPath the class path the child got
     * @return "a class was missing from the child's class path [...] (found by procactor); set ..." when
     *         {@code text} shows a missing class
     */
    static Optional<String> explain(Stream<String> text, ChildClassPath.Chosen classPath) {
        if (text.noneMatch(l -> l != null && SIGNS.stream().anyMatch(l::contains))) {
            return Optional.empty();
        }
        return Optional.of("a class was missing from the child's class path " + ChildClassPath.describe(classPath.value())
                + " (" + classPath.source() + "); " + ChildClassPath.FIX);
    }
}
