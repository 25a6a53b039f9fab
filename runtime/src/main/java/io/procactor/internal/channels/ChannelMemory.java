package io.procactor.internal.channels;

import io.procactor.ActorRef;
import io.procactor.internal.core.Receivers;
import io.procactor.internal.core.shm.MappedSegment;
import io.procactor.internal.core.shm.SegmentId;
import io.procactor.internal.core.shm.SharedType;
import io.procactor.transport.ItemCodec;
import io.procactor.transport.Registrations;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * This process's mappings of queue and pipe segments, one per segment however many handles of it
 * arrive, and the item codec of each registration table. A mapping is kept while a handle uses
 * it; one whose system closed it is dropped, so a long-lived process that saw many systems keeps
 * no memory of theirs.
 *
 * <p>Thread-safe.
 */
public final class ChannelMemory {
    private static final Map<String, WeakReference<Object>> MAPPED = new ConcurrentHashMap<>();
    private static final Map<Registrations, ItemCodec> CODECS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private static volatile ItemCodec last;
    /** The largest item the codec encodes (larger ones fail as a message over max-frame-size would). */
    static final int MAX_ITEM_BYTES = 64 << 20;

    private ChannelMemory() {
    }

    /** The ring size of a queue of {@code capacity}: room for about 64 bytes an item, from 64 KiB to 4 MiB. */
    public static int queueRingSize(int capacity) {
        long want = Math.min(capacity, 1 << 16) * 64L;
        return (int) Math.max(64 << 10, Math.min(4 << 20, Long.highestOneBit(Math.max(1, want - 1)) << 1));
    }

    /** The ring size of each direction of a pipe. */
    public static final int PIPE_RING_SIZE = 256 << 10;

    /** Where the processes sharing {@code segment} ring each other's {@link Doorbell}: its system's segment directory. */
    static java.nio.file.Path bellDir(MappedSegment segment) {
        String path = segment.id().path();
        return path == null || path.isEmpty() ? null : java.nio.file.Path.of(path).getParent();
    }

    /** Registers the structure a creating process made over its own mapping. */
    static void created(String path, Object structure) {
        MAPPED.put(path, new WeakReference<>(structure));
    }

    /**
     * The structure ({@link QueueRing}, {@link PipeRings}) over this process's mapping of the ring
     * segment at {@code path}, mapped now if this process has none.
     *
     * @throws IllegalStateException when the segment is gone (its system closed) or is not the one named
     */
    @SuppressWarnings("unchecked")
    static <T> T mapped(String path, long token, int length, String name, Function<MappedSegment, T> over) {
        WeakReference<Object> ref = MAPPED.get(path);
        Object o = ref == null ? null : ref.get();
        if (o != null) {
            return (T) o;
        }
        synchronized (MAPPED) {
            ref = MAPPED.get(path);
            o = ref == null ? null : ref.get();
            if (o == null) {
                MAPPED.values().removeIf(r -> r.get() == null);
                MappedSegment m = MappedSegment.map(new SegmentId(0, "", 0, SharedType.RING, name, length, path, token));
                o = over.apply(m);
                MAPPED.put(path, new WeakReference<>(o));
            }
            return (T) o;
        }
    }

    /** The codec of the current registration table of the process of {@code anyRef}. */
    static ItemCodec codec(ActorRef anyRef) {
        Registrations r = Receivers.registrations(anyRef);
        ItemCodec c = last;
        if (c != null && c.registrations() == r) {
            return c;
        }
        c = CODECS.computeIfAbsent(r, t -> new ItemCodec(t, MAX_ITEM_BYTES));
        last = c;
        return c;
    }
}
