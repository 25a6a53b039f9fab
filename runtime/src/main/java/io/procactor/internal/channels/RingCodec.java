package io.procactor.internal.channels;

import io.procactor.ActorRef;
import io.procactor.internal.core.ProcessWatch;
import io.procactor.transport.SerializationException;

/**
 * Turns queue and pipe items into ring records and back with this process's Kryo registrations,
 * the rules messages follow: an item of a class that is not registered fails the put or send with
 * the same error a message would get. Each thread has its own scratch for a put and for a take,
 * small again after each use ({@link #done}).
 *
 * <p>Thread-safe.
 */
public final class RingCodec {
    private static final ThreadLocal<ShmRing.Encoded> PUTS = ThreadLocal.withInitial(ShmRing.Encoded::new);
    private static final ThreadLocal<ShmRing.Encoded> TAKES = ThreadLocal.withInitial(ShmRing.Encoded::new);

    private RingCodec() {
    }

    /** This thread's scratch for items on their way in, cleared. */
    public static ShmRing.Encoded putScratch() {
        ShmRing.Encoded e = PUTS.get();
        e.clear();
        return e;
    }

    /** This thread's scratch for items on their way out. */
    public static ShmRing.Encoded takeScratch() {
        return TAKES.get();
    }

    /**
     * Call when done with a scratch: it drops arrays that grew past a modest bound (256 KiB), so a
     * thread that once moved a 50 MB item does not keep 50 MB for ever.
     */
    public static void done(ShmRing.Encoded scratch) {
        scratch.release();
    }

    /**
     * Encodes {@code item} with the registrations of {@code host}'s process and appends it to {@code into}.
     *
     * @throws IllegalArgumentException naming {@code what} and the class when the item cannot cross processes
     */
    public static void add(ActorRef host, Object item, ShmRing.Encoded into, String what, String verb) {
        try {
            ProcessWatch.requireEncodable(host, item);
            ChannelMemory.codec(host).encode(item, into::add);
        } catch (SerializationException | io.procactor.MessageSerializationException e) {
            throw new IllegalArgumentException(what + " cannot " + verb + " [" + item.getClass().getName() + "]: " + e.getMessage(), e);
        }
    }

    /** Decodes item {@code i} of {@code from} (one whose bytes are there, not spilled). */
    public static Object decode(ActorRef host, ShmRing.Encoded from, int i) {
        return ChannelMemory.codec(host).decode(from.item(i));
    }

    /** Decodes the encoded item {@code bytes}. */
    public static Object decode(ActorRef host, byte[] bytes) {
        return ChannelMemory.codec(host).decode(java.nio.ByteBuffer.wrap(bytes));
    }
}
