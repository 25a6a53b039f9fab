package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.procactor.transport.Connection;
import io.procactor.transport.PeerInfo;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A {@link Connection} over one Netty channel. Senders encode on their own thread and append the
 * frame to the connection's open batch buffer (a short lock); one task on the event loop takes
 * the batches (up to {@link #MAX_BYTES_PER_DRAIN}) and flushes once, so a burst of sends costs one
 * buffer, one write and one flush (one syscall, usually) instead of a buffer and an iovec each.
 */
public final class NettyConnection implements Connection {
    /**
     * Bytes written per drain task before the event loop gets a turn. Without a bound, senders
     * that keep up with the drain pin the event loop: nothing is flushed or read (not even the
     * peer's close) until they pause.
     */
    static final int MAX_BYTES_PER_DRAIN = 256 * 1024;
    /** The first batch buffer's size; a batch that fills up makes the next one twice as big, up to {@link #MAX_BATCH}. */
    static final int MIN_BATCH = 1024;
    static final int MAX_BATCH = 16 * 1024;
    /** How long {@link #close()} waits for queued frames to reach the socket before it closes anyway. */
    static final long CLOSE_GRACE_MILLIS = 10_000;

    private final Channel channel;
    private final PeerInfo peer;
    private final Supplier<KryoCodec> codec;
    /**
     * Guards {@link #sealed}, {@link #open} and {@link #batchSize}. Held only to append one frame
     * or to take one buffer: senders rarely meet each other or the drain on it.
     */
    private final Object batches = new Object();
    /** Full batches and ready-made frames (pings), oldest first; written before {@link #open}. */
    private final ArrayDeque<ByteBuf> sealed = new ArrayDeque<>();
    /** The batch senders append to, or null; the drain takes it as it is. */
    private ByteBuf open;
    private int batchSize = MIN_BATCH;
    /** Appends one encoded body as a MESSAGE frame (a field: no lambda per send). */
    private final KryoCodec.FrameSink appender = this::append;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Runnable drainTask = this::drain;
    /**
     * For frame writes: a failed write must not fire one exceptionCaught per queued frame (a broken
     * pipe with thousands queued logged thousands of lines and starved the event loop); an I/O
     * failure shuts the output down (AUTO_CLOSE is off, see Transport), and the channel closes once
     * reading reaches the peer's end.
     */
    private final ChannelPromise silentPromise;

    public NettyConnection(Channel channel, PeerInfo peer, Supplier<KryoCodec> codec) {
        this.channel = channel;
        this.peer = peer;
        this.codec = codec;
        this.silentPromise = new VoidChannelPromise(channel, false);
        channel.closeFuture().addListener(f -> {
            releasePending();
            closed.complete(null);
        });
    }

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public boolean send(Object message) {
        if (!isOpen()) {
            return false;
        }
        return codec.get().encodeFrameTo(message, appender) && scheduled();
    }

    /** Frames {@code body} into the open batch (a new one when it does not fit); on the sender's thread. */
    private boolean append(byte[] body, int length) {
        int frameLength = Frames.HEADER_BYTES + length;
        synchronized (batches) {
            ByteBuf batch = open;
            if (batch == null || batch.writableBytes() < frameLength) {
                if (batch != null) {
                    sealed.add(batch);
                    batchSize = Math.min(MAX_BATCH, batchSize * 2); // a stream: fewer, bigger writes
                }
                // Small frames go to a heap batch: appending is an array copy (a direct buffer's copy costs
                // more than a small frame's bytes); the event loop copies the batch out in one piece.
                // A frame bigger than a batch gets a direct buffer of its own, copied once.
                batch = open = frameLength > MAX_BATCH ? channel.alloc().ioBuffer(frameLength)
                        : channel.alloc().heapBuffer(Math.max(batchSize, frameLength));
            }
            Frames.writeHeader(batch, Frames.MESSAGE, length);
            batch.writeBytes(body, 0, length);
        }
        return true;
    }

    @Override
    public boolean ping() {
        if (!isOpen()) {
            return false;
        }
        return enqueue(Frames.empty(channel.alloc(), Frames.PING));
    }

    private boolean enqueue(ByteBuf frame) {
        synchronized (batches) {
            if (open != null) {
                sealed.add(open); // frames leave in the order they were queued
                open = null;
            }
            sealed.add(frame);
        }
        return scheduled();
    }

    /** Makes sure a drain will run for what was just queued; false when nothing will send it. */
    private boolean scheduled() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                releasePending(); // the transport is closed: its event loop is gone
                return false;
            }
        }
        if (!channel.isActive()) {
            releasePending(); // closed while we queued: nothing will drain it
            return false;
        }
        return true;
    }

    private void drain() {
        writePending(MAX_BYTES_PER_DRAIN);
    }

    private void writePending(long limit) {
        // Reset first: a send racing with this drain either is seen by the loop or schedules another drain.
        drainScheduled.set(false);
        if (!channel.isActive()) {
            releasePending();
            return;
        }
        ByteBuf batch;
        long written = 0;
        while (written < limit && (batch = take()) != null) {
            written += batch.readableBytes();
            channel.write(batch, silentPromise);
        }
        channel.flush();
        if (hasPending() && drainScheduled.compareAndSet(false, true)) {
            // More came in meanwhile: continue after the event loop has done its I/O.
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                releasePending();
            }
        }
    }

    /** The oldest queued buffer (the open batch last), or null when nothing is queued. */
    private ByteBuf take() {
        synchronized (batches) {
            ByteBuf b = sealed.poll();
            if (b == null && (b = open) != null) {
                open = null;
                if (b.readableBytes() < b.capacity() / 4) {
                    batchSize = Math.max(MIN_BATCH, batchSize / 2); // a trickle: small buffers again
                }
            }
            return b;
        }
    }

    private boolean hasPending() {
        synchronized (batches) {
            return open != null || !sealed.isEmpty();
        }
    }

    private void releasePending() {
        ByteBuf b;
        while ((b = take()) != null) {
            b.release();
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    private final Object writability = new Object();

    /** The channel's writability changed (called on its event loop). */
    void writabilityChanged() {
        synchronized (writability) {
            writability.notifyAll();
        }
    }

    @Override
    public boolean awaitWritable(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (writability) {
            while (!channel.isWritable() && channel.isActive()) {
                long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                writability.wait(Math.min(left, 100)); // re-check: a notification may race the check
            }
        }
        return channel.isWritable();
    }

    @Override
    public void pauseReads() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReads() {
        channel.config().setAutoRead(true);
    }

    @Override
    public boolean readsPaused() {
        return !channel.config().isAutoRead();
    }

    /**
     * Open while the channel is active and its output not shut down: after a failed write (the peer
     * went away) the channel stays open only to read what the peer sent before, up to its end.
     */
    @Override
    public boolean isOpen() {
        return channel.isActive() && !(channel instanceof DuplexChannel d && d.isOutputShutdown());
    }

    @Override
    public boolean execute(Runnable task) {
        try {
            channel.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the transport is closed: its event loop is gone
        }
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.eventLoop().execute(() -> {
                writePending(Long.MAX_VALUE); // all sent before close()
                if (!channel.isActive()) {
                    channel.close();
                    return;
                }
                // Close once everything written so far has reached the socket: closing at once would
                // discard whatever the socket had not taken yet. A peer that stops reading gets a grace period.
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                var force = channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                channel.closeFuture().addListener(f -> force.cancel(false));
            });
        } catch (RejectedExecutionException e) {
            // The transport is closed; it closed this channel before stopping its event loop.
        }
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return peer + " via " + channel.localAddress();
    }
}
