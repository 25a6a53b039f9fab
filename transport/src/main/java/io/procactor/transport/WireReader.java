package io.procactor.transport;

/**
 * What a {@link WireCodec} may read, in the order it was written. Valid only during the
 * {@code read} call that received it; confined to that thread.
 */
public interface WireReader {
    String readString();

    long readLong();

    int readInt();

    boolean readBoolean();

    /** Reads an object written by {@link WireWriter#writeObject}. */
    Object readObject();
}
