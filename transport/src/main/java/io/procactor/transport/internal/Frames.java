package io.procactor.transport.internal;

/** Constants of the wire format drawn in {@code io.procactor.transport}'s package javadoc. */
public final class Frames {
    public static final byte VERSION = 1;
    /** Protocol spoken over the frames; bumped when the meaning of a frame changes. */
    public static final int PROTOCOL_VERSION = 1;

    public static final byte HELLO = 1;
    public static final byte WELCOME = 2;
    public static final byte REFUSE = 3;
    public static final byte MESSAGE = 4;

    /** Bytes before the body: the length field, the version and the kind. */
    public static final int HEADER_BYTES = 6;
    /** Bytes counted by the length field that are not body: the version and the kind. */
    public static final int VERSION_AND_KIND = 2;

    private Frames() {
    }

    static String kindName(byte kind) {
        return switch (kind) {
            case HELLO -> "HELLO";
            case WELCOME -> "WELCOME";
            case REFUSE -> "REFUSE";
            case MESSAGE -> "MESSAGE";
            default -> "unknown kind " + kind;
        };
    }
}
