package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The wire format drawn in {@code io.procactor.transport}'s package javadoc: its constants and the
 * one place a frame header is written. Stateless.
 */
public final class Frames {
    public static final byte VERSION = 1;
    /**
     * Protocol spoken over the frames; bumped when the meaning of a frame or of a registered body
     * changes, so that peers of two builds are refused at the handshake (2: PING and PONG; 3: the
     * runtime's control records written by codecs of their own; 4: a pool's results in parts).
     */
    public static final int PROTOCOL_VERSION = 4;

    public static final byte HELLO = 1;
    public static final byte WELCOME = 2;
    public static final byte REFUSE = 3;
    public static final byte MESSAGE = 4;
    /** Liveness probe, no body: the receiving transport answers with {@link #PONG} itself, no Kryo, no callback. */
    public static final byte PING = 5;
    public static final byte PONG = 6;

    /** Bytes of the length field. */
    public static final int LENGTH_BYTES = 4;
    /** Bytes before the body: the length field, the version and the kind. */
    public static final int HEADER_BYTES = 6;
    /** Bytes counted by the length field that are not body: the version and the kind. */
    public static final int VERSION_AND_KIND = 2;
    /**
     * The largest frame (length field value) a server reads before the handshake has completed. A
     * HELLO is about 20 bytes plus the peer's name and token (at most 255 bytes); anything bigger
     * is not a HELLO, so it is refused without being buffered.
     */
    public static final int MAX_HELLO_FRAME = 4096;

    private Frames() {
    }

    /**
     * Writes a frame header at the writer index: the length field (counting the version, the kind
     * and {@code bodyLength} body bytes), the version and the kind. When the body length is not
     * known yet, pass 0 and call {@link #patchLength} once the body is written.
     */
    public static void writeHeader(ByteBuf frame, byte kind, int bodyLength) {
        frame.writeInt(VERSION_AND_KIND + bodyLength);
        frame.writeByte(VERSION);
        frame.writeByte(kind);
    }

    /** A new frame of {@code kind} with no body (PING, PONG): six bytes. */
    public static ByteBuf empty(ByteBufAllocator alloc, byte kind) {
        ByteBuf frame = alloc.buffer(HEADER_BYTES, HEADER_BYTES);
        writeHeader(frame, kind, 0);
        return frame;
    }

    /** Sets the length field of the frame starting at {@code headerIndex} to what has been written after it. */
    public static void patchLength(ByteBuf frame, int headerIndex) {
        frame.setInt(headerIndex, frame.writerIndex() - headerIndex - LENGTH_BYTES);
    }

    static String kindName(byte kind) {
        return switch (kind) {
            case HELLO -> "HELLO";
            case WELCOME -> "WELCOME";
            case REFUSE -> "REFUSE";
            case MESSAGE -> "MESSAGE";
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "unknown kind " + kind;
        };
    }
}
