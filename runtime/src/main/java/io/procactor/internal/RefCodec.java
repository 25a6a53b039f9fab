package io.procactor.internal;

import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;

/** Writes a ref as its two names; a ref that arrives is bound to this JVM's {@link ProcessCore}. Thread-safe. */
final class RefCodec implements WireCodec<RefImpl> {
    private volatile ProcessCore core;

    void bind(ProcessCore core) {
        this.core = core;
    }

    @Override
    public void write(WireWriter out, RefImpl ref) {
        out.writeString(ref.processName());
        out.writeString(ref.name());
    }

    @Override
    public RefImpl read(WireReader in) {
        return new RefImpl(core, in.readString(), in.readString());
    }
}
