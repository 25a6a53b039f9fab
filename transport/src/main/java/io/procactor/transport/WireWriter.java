package io.procactor.transport;

/**
 * What a {@link WireCodec} may write. Valid only during the {@code write} call that received it;
 * confined to that thread.
 */
public interface WireWriter {
    void writeString(String value);

    void writeLong(long value);

    void writeInt(int value);

    void writeBoolean(boolean value);

    /** Writes any registered object (or null) with its class id. */
    void writeObject(Object value);
}
