package io.procactor.internal.core.shm;

/**
 * What a shared API object holds: the segment's id and, from its first use on, this process's
 * mapping of it. A handle that arrives from another process is mapped lazily, on the thread that
 * uses it, never on the I/O thread that decoded it.
 *
 * <p>Threads: thread-safe; resolving twice at once maps once (the table decides).
 */
public final class SegmentRef {
    private final SegmentId id;
    private final SegmentTable table;
    private volatile MappedSegment mapped;

    /** A handle that arrived: mapped on first use through {@code table}. */
    public SegmentRef(SegmentId id, SegmentTable table) {
        this.id = id;
        this.table = table;
    }

    /** A handle of a segment this process created. */
    public SegmentRef(MappedSegment mapped) {
        this.id = mapped.id();
        this.table = null;
        this.mapped = mapped;
    }

    public SegmentId id() {
        return id;
    }

    /**
     * The mapped segment.
     *
     * @throws IllegalStateException naming the object when it belongs to another system or is gone
     */
    public MappedSegment segment() {
        MappedSegment m = mapped;
        if (m == null) {
            m = table.resolve(id);
            mapped = m;
        }
        return m;
    }

    @Override
    public String toString() {
        return id.type().apiName() + "[" + id.name() + "]";
    }
}
