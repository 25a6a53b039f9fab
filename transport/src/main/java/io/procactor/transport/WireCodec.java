package io.procactor.transport;

/**
 * A hand-written encoding for one registered type, for types that must be rebuilt against local
 * state when they arrive (a reference bound to the receiving process, say). Types without one use
 * Kryo's default serializer for their class (records, collections, plain fields).
 *
 * <p>Called concurrently from many threads; implementations must be thread-safe.
 *
 * @param <T> the registered type
 */
public interface WireCodec<T> {
    void write(WireWriter out, T value);

    T read(WireReader in);
}
