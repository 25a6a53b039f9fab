package io.procactor.internal.wire;

/**
 * How a child's standard output carries its log events to the node: a line that starts with
 * {@link #MARKER}, then the level and a space, is a log event at that level; any other line is the
 * program's own output. Immutable constants.
 */
public final class ChildOutput {
    /** Starts each line the child's Logback writes (see procactor-child-logback.xml). */
    public static final char MARKER = '\u001e';

    private ChildOutput() {
    }
}
