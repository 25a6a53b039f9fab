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
    private final long id;

    AskRef(ProcessCore core, String process, long id) {
        super(core, process, "$ask-" + id);
        this.id = id;
    }

    /** The ask's id in the asking process's {@link AskTable}. */
    long id() {
        return id;
    }
}
