package io.procactor.samples;

import io.procactor.ActorSystem;
import java.io.PrintStream;

/**
 * One runnable example. The CLI ({@code procactor sample NAME}) builds an {@link ActorSystem}
 * named {@code procactor-NAME}, lets the sample {@link #register} its message classes, runs it,
 * and closes the system afterwards.
 */
public interface Sample {
    /** The name on the command line: lower case, words joined by '-'. */
    String name();

    /** One line for {@code procactor samples}. */
    String description();

    /**
     * Registers the classes this sample sends between processes. Registration must happen before
     * the system is built, because every child gets the node's table when it connects.
     */
    default void register(ActorSystem.Builder builder) {
    }

    /**
     * Runs the sample on {@code system}, printing what the node sees to {@code out}. Returns when
     * the sample is done; the caller closes the system.
     */
    void run(ActorSystem system, PrintStream out) throws Exception;
}
