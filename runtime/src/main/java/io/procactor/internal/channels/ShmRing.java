package io.procactor.internal.channels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bounded FIFO of byte records in shared memory that any number of producers and consumers in
 * any processes of this host use at once. Producers are serialised by one {@link ShmLock},
 * consumers by another, so the ring itself is single-producer single-consumer (the scheme of
 * Agrona's {@code OneToOneRingBuffer}; Agrona's own buffers need
 * {@code --add-exports java.base/jdk.internal.misc} in every JVM, the user's node included, so this
 * uses the JDK's byte-buffer {@link VarHandle}s as {@code MappedSegment} does).
 *
 * <p>Layout from {@code base}, each word on its own cache line:
 * <pre>
 *   0  long producer lock      128 long consumer lock      256 int  closed (1: no more puts)
 *  64  long tail word          192 long head word          320 sleeping readers, 384 sleeping writers
 * 448  ...  records, {@code size} bytes
 * </pre>
 * The tail word is the number of records ever written (high 32 bits) and the byte position after
 * the last one (low 32 bits, wrapping); the head word the same for records read. One word each, so
 * a producer or consumer publishes count and position at once and a holder that dies half way
 * leaves no half-published state: a record becomes visible only with the release store of the
 * tail word, and leaves only with the release store of the head word. Items in the ring = tail
 * count - head count. A record is an int header and its bytes, padded to 8: header {@code n > 0}
 * is an item of n bytes, {@link #PAD} skips to the start of the ring, {@link #SPILL} is an item
 * the host keeps (too big for the ring) with its 8-byte id.
 *
 * <p>Thread-safe; the locks serialise writers and readers, a reader of counts needs none.
 */
public final class ShmRing {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final int PRODUCER_LOCK = 0;
    static final int TAIL = 64;
    static final int CONSUMER_LOCK = 128;
    static final int HEAD = 192;
    static final int CLOSED = 256;
    static final int READERS = 320;
    static final int WRITERS = READERS + Sleepers.BYTES;
    static final int RECORDS = WRITERS + Sleepers.BYTES;
    static final int PAD = -1;
    static final int SPILL = -2;
    private static final int HEADER = 4;

    private final ByteBuffer buf;
    private final int base;
    private final int records;
    private final int size;
    private final int mask;
    private final int capacity;
    final ShmLock producers;
    final ShmLock consumers;
    /** Threads waiting for records, rung by a write; threads waiting for room, rung by a read. */
    final Sleepers readers;
    final Sleepers writers;

    /** The bytes a ring of {@code size} record bytes takes in its segment. */
    static int bytesFor(int size) {
        return RECORDS + size;
    }

    /**
     * A ring of {@code size} record bytes (a power of two) holding at most {@code capacity} items, at
     * {@code base} of {@code buf}; its sleepers are rung through the doorbells in {@code bellDir}
     * (null: sleepers wake on their own only).
     */
    ShmRing(ByteBuffer buf, int base, int size, int capacity, java.nio.file.Path bellDir) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two, was [" + size + "]");
        }
        this.buf = buf;
        this.base = base;
        this.records = base + RECORDS;
        this.size = size;
        this.mask = size - 1;
        this.capacity = capacity;
        this.producers = new ShmLock(buf, base + PRODUCER_LOCK);
        this.consumers = new ShmLock(buf, base + CONSUMER_LOCK);
        this.readers = new Sleepers(buf, base + READERS, bellDir);
        this.writers = new Sleepers(buf, base + WRITERS, bellDir);
    }

    /** The most bytes one item may take in the ring; a larger one goes through the host (see {@link #SPILL}). */
    int maxInline() {
        return size / 4;
    }

    int size() {
        return size;
    }

    static int recordLength(int payload) {
        return (HEADER + payload + 7) & ~7;
    }

    // ---- counts, readable without a lock ----

    private long tail() {
        return (long) LONGS.getAcquire(buf, base + TAIL);
    }

    private long head() {
        return (long) LONGS.getAcquire(buf, base + HEAD);
    }

    /** Items in the ring now. */
    int count() {
        long h = head();
        long t = tail();
        return (int) (t >>> 32) - (int) (h >>> 32);
    }

    /** Record bytes in use now (padding included). */
    int usedBytes() {
        return (int) tail() - (int) head();
    }

    boolean isEmpty() {
        return (int) head() == (int) tail();
    }

    /** Whether {@code items} more items of {@code bytes} record bytes (with padding) might fit now: a hint, checked again under the lock. */
    boolean mightFit(int items, int bytes) {
        long h = head();
        long t = tail();
        int count = (int) (t >>> 32) - (int) (h >>> 32);
        int used = (int) t - (int) h;
        return count + items <= capacity && used + bytes <= size;
    }

    boolean isClosed() {
        return (int) INTS.getAcquire(buf, base + CLOSED) != 0;
    }

    /** Marks the ring closed for puts. Call holding the producer lock, so that no put is half way. */
    void markClosed() {
        INTS.setRelease(buf, base + CLOSED, 1);
    }

    // ---- writing: call holding the producer lock ----

    /**
     * Writes the records of {@code batch} if all fit now (count and bytes), publishing them at once;
     * returns false, writing nothing, when they do not.
     */
    boolean tryWrite(Encoded batch) {
        return tryWrite(batch, capacity);
    }

    /** As {@link #tryWrite(Encoded)}, with {@code capacity} items at most instead of the ring's. */
    boolean tryWrite(Encoded batch, int capacity) {
        long t = (long) LONGS.getVolatile(buf, base + TAIL); // ours: we hold the producer lock
        long h = head();
        int pos = (int) t;
        int count = (int) (t >>> 32);
        if (count - (int) (h >>> 32) + batch.count > capacity) {
            return false;
        }
        int free = size - (pos - (int) h);
        // worst case one pad per wrap: check the exact need by laying the records out
        int p = pos;
        for (int i = 0; i < batch.count; i++) {
            int len = recordLength(batch.recordPayload(i));
            int toEnd = size - (p & mask);
            if (len > toEnd) {
                p += toEnd;
            }
            p += len;
        }
        if (p - pos > free) {
            return false;
        }
        for (int i = 0; i < batch.count; i++) {
            int payload = batch.recordPayload(i);
            int len = recordLength(payload);
            int at = pos & mask;
            if (len > size - at) {
                buf.putInt(records + at, PAD);
                pos += size - at;
                at = 0;
            }
            if (batch.spill[i] != 0) {
                buf.putInt(records + at, SPILL);
                buf.putLong(records + at + HEADER, batch.spill[i]);
            } else {
                buf.putInt(records + at, batch.lengths[i]);
                buf.put(records + at + HEADER, batch.bytes, batch.offsets[i], batch.lengths[i]);
            }
            pos += len;
        }
        LONGS.setRelease(buf, base + TAIL, ((long) (count + batch.count) << 32) | (pos & 0xffff_ffffL));
        return true;
    }

    /**
     * Takes the consumer lock (waiting until {@code deadline}, System.nanoTime), reads as {@link #read}
     * and releases it: how many records moved into {@code out}, or -1 when the lock did not come in time.
     */
    int readLocked(int max, Encoded out, long deadline) {
        if (!consumers.lock(deadline)) {
            return -1;
        }
        int n;
        try {
            n = read(max, out);
        } finally {
            consumers.unlock();
        }
        if (n > 0) {
            writers.wake();
        }
        return n;
    }

    // ---- reading: call holding the consumer lock ----

    /** Moves up to {@code max} records into {@code out} (cleared first) and frees their room; returns how many. */
    int read(int max, Encoded out) {
        out.clear();
        long h = (long) LONGS.getVolatile(buf, base + HEAD); // ours: we hold the consumer lock
        long t = tail();
        int pos = (int) h;
        int end = (int) t;
        int n = 0;
        while (n < max && pos != end) {
            int at = pos & mask;
            int header = buf.getInt(records + at);
            if (header == PAD) {
                pos += size - at;
                continue;
            }
            if (header == SPILL) {
                out.addSpill(buf.getLong(records + at + HEADER));
                pos += recordLength(8);
            } else {
                out.add(buf, records + at + HEADER, header);
                pos += recordLength(header);
            }
            n++;
        }
        if (n > 0 || pos != (int) h) {
            LONGS.setRelease(buf, base + HEAD, ((long) ((int) (h >>> 32) + n) << 32) | (pos & 0xffff_ffffL));
        }
        return n;
    }

    /**
     * Reports the spill id of every record in the ring now to {@code ids}. Call holding the consumer
     * lock (so that no record is freed and overwritten while it is read).
     */
    void spillIds(java.util.function.LongConsumer ids) {
        long h = (long) LONGS.getVolatile(buf, base + HEAD);
        int pos = (int) h;
        int end = (int) tail();
        while (pos != end) {
            int at = pos & mask;
            int header = buf.getInt(records + at);
            if (header == PAD) {
                pos += size - at;
            } else if (header == SPILL) {
                ids.accept(buf.getLong(records + at + HEADER));
                pos += recordLength(8);
            } else {
                pos += recordLength(header);
            }
        }
    }

    /**
     * Encoded items on their way into or out of a ring: bytes of every item back to back, or a
     * spill id. Reused per thread.
     *
     * <p>Not thread-safe.
     */
    public static final class Encoded {
        /**
         * Arrays that grew past these are dropped after use, so one huge item does not pin its memory
         * per thread for ever; 256 KiB keeps a batch take of a few hundred mid-sized items from
         * growing a fresh array at every take.
         */
        static final int KEEP_BYTES = 256 << 10;
        static final int KEEP_ITEMS = 1024;
        byte[] bytes = new byte[1024];
        int used;
        int count;
        int[] offsets = new int[16];
        int[] lengths = new int[16];
        long[] spill = new long[16];

        public void clear() {
            used = 0;
            count = 0;
        }

        /** Cleared, and any array that grew past a modest bound is replaced by a small one: call after use. */
        public void release() {
            clear();
            if (bytes.length > KEEP_BYTES) {
                bytes = new byte[1024];
            }
            if (offsets.length > KEEP_ITEMS) {
                offsets = new int[16];
                lengths = new int[16];
                spill = new long[16];
            }
        }

        /** The bytes this scratch keeps between uses (for tests and diagnostics). */
        public int retainedBytes() {
            return bytes.length;
        }

        /** The encoded bytes of item {@code i}, copied. */
        public byte[] copyOf(int i) {
            return java.util.Arrays.copyOfRange(bytes, offsets[i], offsets[i] + lengths[i]);
        }

        private void grow(int more) {
            if (count == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, count * 2);
                lengths = java.util.Arrays.copyOf(lengths, count * 2);
                spill = java.util.Arrays.copyOf(spill, count * 2);
            }
            if (used + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + more));
            }
        }

        public void add(byte[] src, int length) {
            grow(length);
            System.arraycopy(src, 0, bytes, used, length);
            put(length, 0);
        }

        void add(ByteBuffer src, int at, int length) {
            grow(length);
            src.get(at, bytes, used, length);
            put(length, 0);
        }

        void addSpill(long id) {
            grow(0);
            put(0, id);
        }

        private void put(int length, long spilled) {
            offsets[count] = used;
            lengths[count] = length;
            spill[count] = spilled;
            used += length;
            count++;
        }

        /** Turns item {@code i} into a spill of {@code id} (it was too big for the ring). */
        public void spill(int i, long id) {
            spill[i] = id;
        }

        /** The spill id of item {@code i}, or 0 when its bytes are here. */
        public long spillId(int i) {
            return spill[i];
        }

        /** The encoded length of item {@code i}. */
        public int length(int i) {
            return lengths[i];
        }

        public int count() {
            return count;
        }

        /** The payload bytes record {@code i} takes in the ring. */
        int recordPayload(int i) {
            return spill[i] != 0 ? 8 : lengths[i];
        }

        /** The total record bytes of all items, padding not counted. */
        public int recordBytes() {
            int n = 0;
            for (int i = 0; i < count; i++) {
                n += recordLength(recordPayload(i));
            }
            return n;
        }

        public ByteBuffer item(int i) {
            return ByteBuffer.wrap(bytes, offsets[i], lengths[i]);
        }
    }
}
