package io.procactor.internal.core;

import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;

/**
 * Writes an actor's ref as its process name and actor name (null when they are equal), and an
 * {@link AskRef} (registered under its own id, so Kryo's class id is its tag byte) as its process
 * name and ask id. A ref that arrives is bound to this JVM's {@link ProcessCore}.
 *
 * <p>Threads: {@link #bind} once, before the transport decodes anything; then any I/O or sender
 * thread. Thread-safe.
 */
public final class RefCodec implements WireCodec<RefImpl> {
    private volatile ProcessCore core;

    /** The codec of ask reply addresses, bound to the same {@link ProcessCore} as this one. */
    public final WireCodec<AskRef> asks = new WireCodec<>() {
        @Override
        public void write(WireWriter out, AskRef ref) {
            out.writeString(ref.processName());
            out.writeLong(ref.id());
        }

        @Override
        public AskRef read(WireReader in) {
            return new AskRef(core, in.readString(), in.readLong());
        }
    };

    public void bind(ProcessCore core) {
        this.core = core;
    }

    @Override
    public void write(WireWriter out, RefImpl ref) {
        out.writeString(ref.processName());
        // a process's main actor carries the process's name: most refs on the wire need one string
        out.writeString(ref.name().equals(ref.processName()) ? null : ref.name());
    }

    @Override
    public RefImpl read(WireReader in) {
        String process = in.readString();
        String name = in.readString();
        return new RefImpl(core, process, name == null ? process : name);
    }
}
