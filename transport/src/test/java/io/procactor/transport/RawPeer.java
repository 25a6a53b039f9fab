package io.procactor.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.transport.internal.Handshake;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A peer that speaks bytes, not the protocol: a plain JDK {@link SocketChannel} (Unix domain or
 * TCP, or a JDK {@link SSLSocket} for TLS) for feeding a server frames a well-behaved client never sends. Blocking reads run on a
 * private thread and are awaited with a timeout.
 */
public final class RawPeer implements AutoCloseable {
    /** One frame as read off the wire. */
    public record Frame(int version, int kind, byte[] body) {
        public String bodyAsHandshakeString() {
            int n = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return new String(body, 2, n, StandardCharsets.UTF_8);
        }
    }

    /** Splits bytes read off the wire into whole frames; trailing partial bytes fail the test. */
    public static java.util.List<Frame> parseFrames(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        java.util.List<Frame> frames = new java.util.ArrayList<>();
        while (b.remaining() >= 4) {
            int length = b.getInt();
            if (length < 2 || length > b.remaining()) {
                throw new AssertionError("partial or malformed frame of length " + length + " with "
                        + b.remaining() + " bytes left");
            }
            int version = b.get();
            int kind = b.get();
            byte[] body = new byte[length - 2];
            b.get(body);
            frames.add(new Frame(version, kind, body));
        }
        if (b.hasRemaining()) {
            throw new AssertionError(b.remaining() + " trailing bytes after the last frame");
        }
        return frames;
    }

    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final Closeable closer;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "raw-peer-reader");
        t.setDaemon(true);
        return t;
    });

    private RawPeer(ReadableByteChannel in, WritableByteChannel out, Closeable closer) {
        this.in = in;
        this.out = out;
        this.closer = closer;
    }

    public static RawPeer connect(Endpoint endpoint) throws IOException {
        SocketChannel channel = SocketChannel.open(endpoint.toSocketAddress());
        return new RawPeer(channel, channel, channel);
    }

    /**
     * A raw peer over TLS to a TCP endpoint, presenting what {@code tls} holds; the TLS handshake
     * runs with the first write or read, so a refused handshake shows as an exception or end of stream there.
     */
    public static RawPeer connectTls(Endpoint endpoint, SSLContext tls) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", endpoint.port());
        return new RawPeer(Channels.newChannel(socket.getInputStream()), Channels.newChannel(socket.getOutputStream()),
                socket);
    }

    public void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Writes a frame with the given length field, version and kind, followed by {@code body}. */
    public void writeFrame(int length, int version, int kind, byte[] body) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(6 + body.length);
        b.putInt(length).put((byte) version).put((byte) kind).put(body).flip();
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Writes a well-formed frame of {@code kind} around {@code body}. */
    public void writeFrame(int kind, byte[] body) throws IOException {
        writeFrame(2 + body.length, 1, kind, body);
    }

    /** Sends a HELLO as a real client would. */
    public void hello(String name, Credentials credentials) throws IOException {
        write(helloBytes(name, 4242, credentials));
    }

    /** A HELLO frame as a real client sends it. */
    public static byte[] helloBytes(String name, long pid, Credentials credentials) {
        ByteBuf hello = Handshake.hello(UnpooledByteBufAllocator.DEFAULT, name, pid, credentials.token());
        try {
            return ByteBufUtil.getBytes(hello);
        } finally {
            hello.release();
        }
    }

    /** A well-formed frame of {@code kind} around {@code body}. */
    public static byte[] frameBytes(int kind, byte[] body) {
        return ByteBuffer.allocate(6 + body.length).putInt(2 + body.length).put((byte) 1).put((byte) kind).put(body).array();
    }

    /** Reads one frame; null if the peer closed the connection before a whole frame arrived. */
    public Frame readFrame(Duration timeout) {
        return await(timeout, () -> {
            ByteBuffer header = ByteBuffer.allocate(4);
            if (!readFully(header)) {
                return null;
            }
            int length = header.flip().getInt();
            ByteBuffer rest = ByteBuffer.allocate(length);
            if (!readFully(rest)) {
                return null;
            }
            rest.flip();
            byte[] body = new byte[length - 2];
            int version = rest.get();
            int kind = rest.get();
            rest.get(body);
            return new Frame(version, kind, body);
        });
    }

    /** Reads exactly {@code n} bytes, leaving whatever follows unread in the socket. */
    public byte[] readBytes(int n, Duration timeout) {
        return await(timeout, () -> {
            ByteBuffer b = ByteBuffer.allocate(n);
            if (!readFully(b)) {
                throw new AssertionError("the server closed the connection before " + n + " bytes arrived");
            }
            return b.array();
        });
    }

    /** Reads until the peer closes the connection; returns every byte read. */
    public byte[] readUntilClosed(Duration timeout) {
        return await(timeout, this::drainUntilClosed);
    }

    /** Starts reading until the peer closes; the future completes with every byte read. */
    public CompletableFuture<byte[]> closedAsync() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return drainUntilClosed();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, reader);
    }

    private byte[] drainUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (true) {
            b.clear();
            int n;
            try {
                n = in.read(b);
            } catch (java.nio.channels.ClosedChannelException e) {
                throw e; // we closed it ourselves: not the server
            } catch (IOException e) {
                return all.toByteArray(); // reset by the server counts as closed
            }
            if (n < 0) {
                return all.toByteArray();
            }
            all.write(b.array(), 0, n);
        }
    }

    private boolean readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    private <T> T await(Duration timeout, java.util.concurrent.Callable<T> read) {
        var f = reader.submit(read);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new AssertionError("nothing from the server within " + timeout, e);
        } catch (ExecutionException e) {
            throw new AssertionError("read failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (IOException e) {
            // closing anyway
        }
        reader.shutdownNow();
    }
}
