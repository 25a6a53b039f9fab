package io.procactor.transport;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A secret a peer proves during the handshake: one shared by every process of a node, or one per
 * child launch. It travels to a child on its stdin only, never on a command line or in the
 * environment. {@link #toString()} masks it; {@link #matches} compares in constant time.
 *
 * <p>Immutable and thread-safe.
 */
public final class Credentials {
    private static final int TOKEN_BYTES = 32;
    private final byte[] token;

    private Credentials(byte[] token) {
        this.token = token;
    }

    /** A new random token from a {@link SecureRandom}. */
    public static Credentials random() {
        byte[] t = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(t);
        return new Credentials(t);
    }

    /** Rebuilds credentials from {@link #toHex()}. */
    public static Credentials fromHex(String hex) {
        byte[] t = HexFormat.of().parseHex(hex.trim());
        if (t.length == 0 || t.length > 255) {
            throw new IllegalArgumentException("token must be 1 to 255 bytes, was " + t.length);
        }
        return new Credentials(t);
    }

    public String toHex() {
        return HexFormat.of().formatHex(token);
    }

    /**
     * Whether {@code presented} is this token, compared in constant time: how long it takes depends
     * only on the length of {@code presented}, never on how many leading bytes are right.
     */
    public boolean matches(byte[] presented) {
        return presented != null && MessageDigest.isEqual(presented, token);
    }

    /** A copy of the token bytes. */
    public byte[] token() {
        return token.clone();
    }

    @Override
    public String toString() {
        return "Credentials[****]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && MessageDigest.isEqual(token, c.token);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(token);
    }
}
