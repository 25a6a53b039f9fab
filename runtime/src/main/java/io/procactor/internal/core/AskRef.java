package io.procactor.internal.core;

/**
 * The reply address of one ask: the process that asked and the ask's id in its {@link AskTable}.
 * A message sent to it completes that ask (see {@link ProcessCore#deliverLocal}); on the wire it
 * is its own registration (id 125), written as the process name and the id (see {@link RefCodec}).
 * Its {@link #name()} ({@code $ask-<id>}) is for paths and logs only: nothing parses it.
 *
 * <p>Threads: any. Immutable and thread-safe.
 */
public final class AskRef extends RefImpl {
    private static final String NAME_PREFIX = "$ask-";
    private final long id;

    AskRef(ProcessCore core, String process, long id) {
        // the name is built only when asked for: one per ask, on both ends, was a string concatenation on the hot path
        super(core, process, NAME_PREFIX);
        this.id = id;
    }

    /** The ask's id in the asking process's {@link AskTable}. */
    long id() {
        return id;
    }

    @Override
    public String name() {
        return NAME_PREFIX + id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AskRef a && a.id == id && a.processName().equals(processName());
    }

    @Override
    public int hashCode() {
        return 31 * processName().hashCode() + Long.hashCode(id);
    }
}
