package io.procactor.transport.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import io.netty.buffer.ByteBuf;
import io.procactor.transport.DecodeLimits;
import java.nio.ByteBuffer;

/**
 * A Kryo input over one message body that refuses, before allocating, any declared length the
 * body cannot hold: strings and primitive arrays need at least one byte per element, so a length
 * larger than the bytes left is an error. Collections, maps and object arrays claim their declared
 * sizes from a per-message element budget ({@link #claimElements}), because their elements may take
 * no bytes at all.
 *
 * <p>A body is copied into this input's array first: Kryo's array input reads a byte with an index,
 * its buffer input with a {@code ByteBuffer} call and a position update, and a message's body is
 * small (a larger one is copied once, then decoded at array speed).
 *
 * <p>Confined to one thread, like the Kryo instance it serves.
 */
final class BoundedInput extends Input {
    /** A string buffer bigger than this is dropped after the message, so a thread does not pin it. */
    private static final int MAX_KEPT_CHARS = 64 * 1024;
    /** The same for the array bodies are copied into. */
    private static final int MAX_KEPT_BYTES = 256 * 1024;
    private static final int INITIAL_BYTES = 512;

    /** Strings up to this long are cached ({@link #readShortAscii}); a process or actor name usually is. */
    private static final int MAX_CACHED_CHARS = 32;
    private static final int CACHE_SLOTS = 64;

    private final DecodeLimits limits;
    private final String[] cachedStrings = new String[CACHE_SLOTS];
    private byte[] bytes = new byte[INITIAL_BYTES];
    private long elementsLeft;

    BoundedInput(DecodeLimits limits) {
        this.limits = limits;
    }

    /** Starts a message: reads a copy of {@code body} from its position to its limit (the position is left alone). */
    void start(ByteBuffer body) {
        int n = body.remaining();
        byte[] b = room(n);
        body.get(body.position(), b, 0, n);
        begin(b, n);
    }

    /** Starts a message: reads a copy of {@code n} bytes of {@code buf} from {@code index} (its indexes are left alone). */
    void start(ByteBuf buf, int index, int n) {
        byte[] b = room(n);
        buf.getBytes(index, b, 0, n);
        begin(b, n);
    }

    private byte[] room(int n) {
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        return bytes;
    }

    private void begin(byte[] b, int n) {
        setBuffer(b, 0, n);
        elementsLeft = Math.max(limits.maxElements(), n);
    }

    /** Ends a message: releases a large string buffer or body copy. */
    void finish() {
        if (chars.length > MAX_KEPT_CHARS) {
            chars = new char[32];
        }
        if (bytes.length > MAX_KEPT_BYTES) {
            bytes = new byte[INITIAL_BYTES];
            setBuffer(bytes, 0, 0);
        }
    }

    int remaining() {
        return limit - position;
    }

    /** Claims {@code count} collection, map or array elements from this message's budget. */
    void claimElements(int count, Class<?> type) {
        if (count < 0 || count > elementsLeft) {
            throw new LimitViolation("a [" + name(type) + "] of [" + Integer.toUnsignedString(count)
                    + "] elements exceeds what is left of the message's element budget (max(body bytes, max-elements ["
                    + limits.maxElements() + "]) per message)");
        }
        elementsLeft -= count;
    }

    /** Fails unless {@code count} elements of at least {@code bytesEach} bytes fit in what is left of the body. */
    void requireBytes(int count, int bytesEach, String what) {
        if (count < 0 || (long) count * bytesEach > remaining()) {
            throw new LimitViolation("a " + what + " of [" + Integer.toUnsignedString(count) + "] elements needs at least ["
                    + Integer.toUnsignedLong(count) * bytesEach + "] bytes but only [" + remaining() + "] are left in the message");
        }
    }

    /**
     * For an array whose serializer allocates it: reads the length field at the current position
     * (unsigned varint of length + 1, 0 for null) without consuming it, and fails unless that many
     * elements of at least one byte each fit in the rest of the body.
     */
    void checkArrayLength(String what) {
        if (position == limit) {
            return; // super fails with a buffer underflow
        }
        int start = position;
        try {
            int n = readVarInt(true);
            if (n != 0) {
                requireBytes(n - 1, 1, what);
            }
        } finally {
            setPosition(start);
        }
    }

    // --- strings: [flag + char count] then at least one byte per char ---------------------------

    @Override
    public String readString() {
        checkStringLength();
        String s = readShortAscii();
        return s != null ? s : super.readString();
    }

    /**
     * A short ASCII string (Kryo writes it as its bytes, the last one with the high bit set) from
     * this input's cache, or read and cached; null when the next string is not one (then
     * {@code super} reads it). The same process and actor names arrive in every envelope: a cached
     * string costs no allocation, and its hash (the actor map's key) is computed once.
     */
    private String readShortAscii() {
        int p = position;
        int end = Math.min(limit, p + MAX_CACHED_CHARS);
        byte[] buf = buffer;
        if (p == end || (buf[p] & 0x80) != 0) {
            return null; // nothing left, or a null, empty, 1-char or length-prefixed string
        }
        int h = 0;
        for (int i = p; i < end; i++) {
            int b = buf[i];
            h = 31 * h + (b & 0x7f);
            if ((b & 0x80) != 0) {
                int length = i - p + 1;
                int slot = (h ^ (h >>> 7)) & (CACHE_SLOTS - 1);
                String cached = cachedStrings[slot];
                if (cached != null && cached.length() == length && sameAscii(cached, buf, p, length)) {
                    position = i + 1;
                    return cached;
                }
                String read = super.readString();
                cachedStrings[slot] = read;
                return read;
            }
        }
        return null; // longer than the cache takes
    }

    private static boolean sameAscii(String s, byte[] buf, int at, int length) {
        for (int k = 0; k < length; k++) {
            if (s.charAt(k) != (buf[at + k] & 0x7f)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StringBuilder readStringBuilder() {
        checkStringLength();
        return super.readStringBuilder();
    }

    private void checkStringLength() {
        if (position == limit) {
            return; // super fails with a buffer underflow
        }
        int start = position;
        if (!readVarIntFlag()) {
            return; // ASCII: read byte by byte up to a terminator, nothing allocated from a count
        }
        int charCount;
        try {
            charCount = readVarIntFlag(true);
        } catch (KryoException e) {
            setPosition(start);
            return; // a truncated count: super fails the same way
        }
        int afterCount = position;
        setPosition(start);
        if (charCount < 0 || charCount - 1 > limit - afterCount) {
            throw new LimitViolation("a String of [" + Integer.toUnsignedString(charCount - 1) + "] chars needs at least as many bytes but only ["
                    + (limit - afterCount) + "] are left in the message");
        }
    }

    // --- primitive arrays: the bulk readers allocate the array before reading ------------------------

    @Override
    public byte[] readBytes(int length) {
        requireBytes(length, 1, "byte[]");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        requireBytes(length, 4, "int[]");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        requireBytes(length, varEncoding ? 1 : 4, "int[]");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        requireBytes(length, 8, "long[]");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        requireBytes(length, varEncoding ? 1 : 8, "long[]");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        requireBytes(length, 4, "float[]");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        requireBytes(length, 8, "double[]");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        requireBytes(length, 2, "short[]");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        requireBytes(length, 2, "char[]");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        requireBytes(length, 1, "boolean[]");
        return super.readBooleans(length);
    }

    private static String name(Class<?> type) {
        return type == null ? "collection" : type.getName();
    }
}
