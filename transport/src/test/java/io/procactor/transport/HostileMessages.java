package io.procactor.transport;

import com.esotericsoftware.kryo.io.Output;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * MESSAGE bodies of 5 to 10 bytes that declare a huge String, collection, map or array: before the
 * bounded decoding, each made the receiving JVM allocate what it declared (hundreds of MiB to GiB),
 * or die of OutOfMemoryError. Also a thread-allocation meter to prove they no longer do.
 */
public final class HostileMessages {
    /** Big enough that allocating it is unmistakable (0.2 to 3.2 GB), small enough for a 4-byte varint. */
    public static final int HUGE = 200_000_000;

    /** One hostile body and what it claims. */
    public record Hostile(String name, byte[] body) {
        @Override
        public String toString() {
            return name + " (" + body.length + " bytes)";
        }
    }

    private static final Registrations DEFAULTS = Registrations.builder().build();

    private HostileMessages() {
    }

    public static List<Hostile> all() {
        List<Hostile> all = new ArrayList<>();
        // Kryo's String (id 1): UTF-8 form, flag bit set, char count + 1.
        all.add(new Hostile("String of " + HUGE + " chars", body(o -> {
            o.writeVarInt(1 + 2, true);
            o.writeVarIntFlag(true, HUGE + 1, true);
        })));
        // CollectionSerializer: flag "all elements of one class", size + 1.
        all.add(new Hostile("ArrayList of " + HUGE + " elements", body(o -> {
            classId(o, ArrayList.class);
            o.writeVarIntFlag(true, HUGE + 1, true);
        })));
        all.add(new Hostile("List.of(...) of " + HUGE + " elements", body(o -> {
            classId(o, List.of(1, 2, 3).getClass());
            o.writeVarIntFlag(true, HUGE + 1, true);
        })));
        // ObjectArraySerializer: size + 1.
        all.add(new Hostile("Object[" + HUGE + "]", body(o -> {
            classId(o, Object[].class);
            o.writeVarInt(HUGE + 1, true);
        })));
        all.add(new Hostile("String[" + HUGE + "]", body(o -> {
            classId(o, String[].class);
            o.writeVarInt(HUGE + 1, true);
        })));
        // MapSerializer: size + 1, then one entry (null -> null): the table is allocated at the first put.
        all.add(new Hostile("HashMap of " + HUGE + " entries", body(o -> {
            classId(o, HashMap.class);
            o.writeVarInt(HUGE + 1, true);
            o.writeVarInt(0, true);
            o.writeVarInt(0, true);
        })));
        for (Class<?> array : List.of(long[].class, int[].class, double[].class, byte[].class, boolean[].class, char[].class)) {
            all.add(new Hostile(array.getComponentType().getName() + "[" + HUGE + "]", body(o -> {
                classId(o, array);
                o.writeVarInt(HUGE + 1, true);
            })));
        }
        return all;
    }

    private static void classId(Output o, Class<?> type) {
        int id = DEFAULTS.byType(type).orElseThrow(() -> new AssertionError(type + " is not a default registration")).id();
        o.writeVarInt(id + 2, true);
    }

    private static byte[] body(Consumer<Output> write) {
        Output o = new Output(32);
        write.accept(o);
        byte[] b = o.toBytes();
        if (b.length > 10) {
            throw new AssertionError("hostile body of " + b.length + " bytes; the issue's were at most 10");
        }
        return b;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated so far by the given threads (HotSpot's per-thread counter). */
    public static long allocatedBytes(long... threadIds) {
        long sum = 0;
        for (long n : THREADS.getThreadAllocatedBytes(threadIds)) {
            sum += Math.max(0, n);
        }
        return sum;
    }

    /** Bytes allocated so far by the calling thread. */
    public static long allocatedByThisThread() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Ids of the live threads whose names start with {@code prefix}. */
    public static long[] threadIds(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix))
                .mapToLong(Thread::getId)
                .toArray();
    }
}
