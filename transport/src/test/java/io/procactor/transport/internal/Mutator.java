package io.procactor.transport.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded byte mutator in the style of libFuzzer's: flips, interesting values (lengths around
 * the limits, varints of every size), inserts, deletes, duplicates and splices with other seeds.
 * Deterministic for a given {@link Random}. Not thread-safe.
 */
final class Mutator {
    private static final byte[] INTERESTING_BYTES = {0, 1, 2, 3, 0x3f, 0x40, 0x7f, (byte) 0x80, (byte) 0x81, (byte) 0xfe, (byte) 0xff};
    private static final int[] INTERESTING_INTS = {0, 1, 2, 3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7ffffffe,
            Frames.MAX_HELLO_FRAME, Frames.MAX_HELLO_FRAME + 1, 0xffff, 0x10000, 1 << 20, (1 << 20) + 1, 1 << 24, 1 << 30};
    /** Unsigned varints of growing size, up to the largest int and beyond. */
    private static final byte[][] VARINTS = {
            {(byte) 0x7f}, {(byte) 0xff, 0x7f}, {(byte) 0xff, (byte) 0xff, 0x7f}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}, {(byte) 0xbf, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}};

    private final Random random;

    Mutator(Random random) {
        this.random = random;
    }

    /** One to four stacked mutations of {@code seed}; {@code corpus} feeds splices. */
    byte[] mutate(byte[] seed, List<byte[]> corpus) {
        byte[] b = seed;
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b = once(b, corpus);
        }
        return b;
    }

    private byte[] once(byte[] b, List<byte[]> corpus) {
        if (b.length == 0) {
            return randomBytes(1 + random.nextInt(8));
        }
        int at = random.nextInt(b.length);
        return switch (random.nextInt(11)) {
            case 0 -> {
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << random.nextInt(8));
                yield c;
            }
            case 1 -> {
                byte[] c = b.clone();
                c[at] = (byte) random.nextInt(256);
                yield c;
            }
            case 2 -> {
                byte[] c = b.clone();
                c[at] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                yield c;
            }
            case 3 -> { // an interesting big-endian int32, as length fields and protocol ints are written
                byte[] c = b.length >= 4 ? b.clone() : Arrays.copyOf(b, 4);
                int pos = random.nextInt(c.length - 3);
                int v = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)] + random.nextInt(3) - 1;
                c[pos] = (byte) (v >>> 24);
                c[pos + 1] = (byte) (v >>> 16);
                c[pos + 2] = (byte) (v >>> 8);
                c[pos + 3] = (byte) v;
                yield c;
            }
            case 4 -> overwrite(b, at, VARINTS[random.nextInt(VARINTS.length)]); // a huge count where Kryo reads one
            case 5 -> insert(b, at, randomBytes(1 + random.nextInt(8)));
            case 6 -> insert(b, at, VARINTS[random.nextInt(VARINTS.length)]);
            case 7 -> { // delete a range
                int len = 1 + random.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + len, c, at, b.length - at - len);
                yield c;
            }
            case 8 -> { // duplicate a range
                int len = 1 + random.nextInt(Math.min(32, b.length - at));
                yield insert(b, random.nextInt(b.length + 1), Arrays.copyOfRange(b, at, at + len));
            }
            case 9 -> { // splice: our head, another seed's tail
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] c = Arrays.copyOf(b, at + other.length - from);
                System.arraycopy(other, from, c, at, other.length - from);
                yield c;
            }
            default -> Arrays.copyOf(b, at); // truncate
        };
    }

    private byte[] overwrite(byte[] b, int at, byte[] with) {
        byte[] c = Arrays.copyOf(b, Math.max(b.length, at + with.length));
        System.arraycopy(with, 0, c, at, with.length);
        return c;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private byte[] randomBytes(int n) {
        byte[] c = new byte[n];
        random.nextBytes(c);
        return c;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
