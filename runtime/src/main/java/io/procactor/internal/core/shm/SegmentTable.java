package io.procactor.internal.core.shm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's segments of one actor system: the node's table holds what it created; a child's
 * maps a segment the first time one of its handles is used, once per segment, and keeps the
 * mapping for the process's life. Knows the system's identity, so a handle from another system
 * (another node, or another system in the same node) is refused with a message saying what to do.
 *
 * <p>Threads: thread-safe; handles resolve on whatever thread first uses them.
 */
public final class SegmentTable {
    private final long nodePid;
    private final String system;
    private final long systemId;
    private final ConcurrentHashMap<String, MappedSegment> byPath = new ConcurrentHashMap<>();

    public SegmentTable(long nodePid, String system, long systemId) {
        this.nodePid = nodePid;
        this.system = system;
        this.systemId = systemId;
    }

    /**
     * The id of a system in handles: derived from the secret every process of the system knows
     * (the peer token), never the secret itself.
     */
    public static long systemId(String secretHex) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("procactor shared memory\0".getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(md.digest(secretHex.getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The id of this system in handles: {@link #systemId(String)} of its peer token. */
    public long systemId() {
        return systemId;
    }

    /** The id of a new segment of this system. */
    public SegmentId newId(SharedType type, String name, int length, String path, long token) {
        return new SegmentId(nodePid, system, systemId, type, name, length, path, token);
    }

    /** A segment this process created (the node). */
    public MappedSegment add(SegmentId id, ByteBuffer buf) {
        MappedSegment m = new MappedSegment(id, buf);
        byPath.put(id.path(), m);
        return m;
    }

    /** Every segment known here. */
    public Collection<MappedSegment> all() {
        return List.copyOf(byPath.values());
    }

    /**
     * This process's mapping of the segment {@code id} names, mapped now if it is the first use here.
     *
     * @throws IllegalStateException naming the object when it belongs to another system or is closed or gone
     */
    public MappedSegment resolve(SegmentId id) {
        if (id.systemId() != systemId) {
            throw new IllegalStateException(id.describe() + " was passed to a process of another actor system ([" + system
                    + "], node pid " + nodePid + "): shared objects work only in the system that created them; create one "
                    + "in this system (system." + factoryOf(id.type()) + "(...)) and pass that");
        }
        MappedSegment m = byPath.computeIfAbsent(id.path(), p -> new MappedSegment(id, SegmentFiles.open(id)));
        if (m.id().token() != id.token()) {
            throw SegmentFiles.gone(id, "its segment file [" + id.path() + "] now holds another object");
        }
        return m;
    }

    private static String factoryOf(SharedType t) {
        return t == SharedType.LOCK ? "lock" : "s" + t.apiName().substring(1);
    }
}
