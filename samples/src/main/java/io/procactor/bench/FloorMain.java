package io.procactor.bench;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The far end of a floor measurement ({@link FloorBench}), in its own JVM so that the floor
 * crosses processes as procactor's messages do: connects to the Unix socket given as first
 * argument and echoes every byte until the socket closes. In {@code block} mode a read blocks in
 * the kernel (the thread sleeps and is woken per message, as in any blocking server); in
 * {@code spin} mode the socket is non-blocking and the thread polls it without ever sleeping: no
 * wake-up, the physical limit of the socket at the price of a busy core.
 *
 * <p>Threading: single-threaded.
 */
public final class FloorMain {
    /** How both ends wait for the next byte. */
    enum Mode {
        BLOCK, SPIN;

        String arg() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private FloorMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: FloorMain <unix socket path> block|spin; got " + args.length + " arguments");
        }
        Mode mode = Mode.valueOf(args[1].toUpperCase(Locale.ROOT));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[0])))) {
            c.configureBlocking(mode == Mode.BLOCK);
            ByteBuffer b = ByteBuffer.allocateDirect(1);
            while (true) {
                int n = c.read(b);
                if (n < 0) {
                    return; // the measuring side closed: done
                }
                if (n > 0) {
                    b.flip();
                    write(c, b);
                    b.clear();
                } // n == 0: non-blocking and nothing yet, poll again
            }
        }
    }

    /** Writes all of {@code b} (a non-blocking write of one byte may still return 0 on a full socket). */
    static void write(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** One ping-pong from the measuring side: send a byte, wait (block or poll) for it to come back. */
    static void pingPong(SocketChannel c, ByteBuffer b) throws IOException {
        b.clear().put((byte) 1).flip();
        write(c, b);
        b.clear();
        while (b.position() == 0) {
            if (c.read(b) < 0) {
                throw new IOException("the floor's echo process closed the socket");
            }
        }
    }
}
