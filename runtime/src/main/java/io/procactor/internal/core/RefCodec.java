package io.procactor.internal.core;

import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;

/** Writes a ref as its process name and actor name (null when they are equal); a ref that arrives is bound to this JVM's {@link ProcessCore}. Thread-safe. */
public final class RefCodec implements WireCodec<RefImpl> {
    private volatile ProcessCore core;

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
