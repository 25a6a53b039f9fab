package io.procactor.transport;

import io.procactor.transport.internal.KryoCodec;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes single objects with the same Kryo registrations, rules and limits as
 * messages, but without frames: for items that processes of one system pass through shared memory
 * instead of a connection. An unregistered class fails as it would in a message.
 *
 * <p>Thread-safe: each thread uses its own Kryo and buffers.
 */
public final class ItemCodec {
    private final KryoCodec codec;
    private final Registrations registrations;

    /** A codec for {@code registrations} (a process's current table) and items of at most {@code maxBytes}. */
    public ItemCodec(Registrations registrations, int maxBytes) {
        this.registrations = registrations;
        this.codec = new KryoCodec(registrations, maxBytes);
    }

    /** The table this codec was made from. */
    public Registrations registrations() {
        return registrations;
    }

    /** Receives an encoded item: the bytes are this thread's buffer, valid only during the call. */
    public interface Sink {
        void accept(byte[] bytes, int length);
    }

    /**
     * Encodes {@code item} and hands the bytes to {@code sink}.
     *
     * @throws SerializationException naming the class when it (or something in it) is not registered
     */
    public void encode(Object item, Sink sink) {
        codec.encodeBody(item, sink::accept);
    }

    /**
     * Decodes the item in {@code bytes}' remaining bytes.
     *
     * @throws SerializationException when they do not hold exactly one item of this table
     */
    public Object decode(ByteBuffer bytes) {
        return codec.decodeBody(bytes);
    }
}
