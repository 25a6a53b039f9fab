package io.procactor.internal.core;

import io.procactor.internal.core.shm.SegmentId;
import io.procactor.internal.core.shm.SegmentRef;
import io.procactor.internal.core.shm.SegmentTable;
import io.procactor.internal.core.shm.SharedType;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;

/**
 * Writes a shared object ({@code SharedLong}, {@code SharedLock}, ...) as its segment's handle:
 * the owning system's identity, type, name, length, segment file and token. One that arrives is
 * bound to this process's {@link SegmentTable}, which maps the segment on first use and refuses a
 * handle of another system.
 *
 * <p>Threads: stateless but for the table; any encoding or decoding thread.
 */
public final class SharedCodec<T> implements WireCodec<T> {
    private final Class<T> type;
    private final SegmentTable table;

    public SharedCodec(Class<T> type, SegmentTable table) {
        this.type = type;
        this.table = table;
    }

    /** The codecs of every shared type, bound to {@code table}. */
    public static Protocol.SharedCodecs all(SegmentTable table) {
        return new Protocol.SharedCodecs() {
            @Override
            public <C> WireCodec<C> of(Class<C> type) {
                return new SharedCodec<>(type, table);
            }
        };
    }

    @Override
    public void write(WireWriter out, T shared) {
        SegmentId id = ApiAccess.get().segmentRef(shared).id();
        out.writeLong(id.nodePid());
        out.writeString(id.system());
        out.writeLong(id.systemId());
        out.writeInt(id.type().code());
        out.writeString(id.name());
        out.writeInt(id.length());
        out.writeString(id.path());
        out.writeLong(id.token());
    }

    @Override
    public T read(WireReader in) {
        SegmentId id = new SegmentId(in.readLong(), in.readString(), in.readLong(), SharedType.of(in.readInt()), in.readString(),
                in.readInt(), in.readString(), in.readLong());
        return type.cast(ApiAccess.get().sharedObject(new SegmentRef(id, table)));
    }
}
