package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.procactor.transport.PeerInfo;
import io.procactor.transport.Registrations.TableEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the handshake frames (HELLO, WELCOME, REFUSE). They are written by hand,
 * not with Kryo, because the registration table they carry is what configures Kryo.
 */
public final class Handshake {
    private static final int MAX_STRING = 65535;

    /** What a client states: who it is and the token it proves. */
    public record Hello(PeerInfo peer, byte[] token) {
    }

    /** What a server answers: who it is and its registration table. */
    public record Welcome(PeerInfo peer, List<TableEntry> table) {
    }

    private Handshake() {
    }

    public static ByteBuf hello(ByteBufAllocator alloc, String name, long pid, byte[] token) {
        ByteBuf b = start(alloc, Frames.HELLO);
        b.writeInt(Frames.PROTOCOL_VERSION);
        b.writeLong(pid);
        writeString(b, name);
        b.writeShort(token.length);
        b.writeBytes(token);
        return finish(b);
    }

    public static Hello readHello(ByteBuf body) {
        int protocol = body.readInt();
        long pid = body.readLong();
        String name = readString(body);
        int tokenLength = body.readUnsignedShort();
        if (tokenLength > body.readableBytes()) {
            throw new IndexOutOfBoundsException("token of [" + tokenLength + "] bytes does not fit the frame");
        }
        byte[] token = new byte[tokenLength];
        body.readBytes(token);
        return new Hello(new PeerInfo(name, pid, protocol), token);
    }

    public static ByteBuf welcome(ByteBufAllocator alloc, String name, long pid, List<TableEntry> table) {
        ByteBuf b = start(alloc, Frames.WELCOME);
        b.writeInt(Frames.PROTOCOL_VERSION);
        b.writeLong(pid);
        writeString(b, name);
        b.writeInt(table.size());
        for (TableEntry e : table) {
            b.writeInt(e.id());
            writeString(b, e.className());
        }
        return finish(b);
    }

    public static Welcome readWelcome(ByteBuf body) {
        int protocol = body.readInt();
        long pid = body.readLong();
        String name = readString(body);
        int n = body.readInt();
        if (n < 0 || n > body.readableBytes()) {
            throw new CorruptedFrameException("registration table of [" + n + "] entries does not fit the frame");
        }
        List<TableEntry> table = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            table.add(new TableEntry(body.readInt(), readString(body)));
        }
        return new Welcome(new PeerInfo(name, pid, protocol), table);
    }

    public static ByteBuf refuse(ByteBufAllocator alloc, String reason) {
        ByteBuf b = start(alloc, Frames.REFUSE);
        writeString(b, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        return finish(b);
    }

    public static String readRefuse(ByteBuf body) {
        return readString(body);
    }

    private static ByteBuf start(ByteBufAllocator alloc, byte kind) {
        ByteBuf b = alloc.buffer(256);
        Frames.writeHeader(b, kind, 0); // length patched by finish
        return b;
    }

    private static ByteBuf finish(ByteBuf b) {
        Frames.patchLength(b, 0);
        return b;
    }

    private static void writeString(ByteBuf b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING) {
            throw new IllegalArgumentException("handshake string longer than " + MAX_STRING + " bytes");
        }
        b.writeShort(bytes.length);
        b.writeBytes(bytes);
    }

    private static String readString(ByteBuf b) {
        int n = b.readUnsignedShort();
        return b.readCharSequence(n, StandardCharsets.UTF_8).toString();
    }
}
