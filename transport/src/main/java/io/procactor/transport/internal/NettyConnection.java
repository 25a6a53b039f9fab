package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;
import io.procactor.transport.Connection;
import io.procactor.transport.PeerInfo;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A {@link Connection} over one Netty channel. Senders encode on their own thread and append to a
 * lock-free queue; one task on the event loop drains everything queued so far and flushes once,
 * so a burst of sends costs one flush (one syscall, usually) instead of one each.
 */
public final class NettyConnection implements Connection {
    private final Channel channel;
    private final PeerInfo peer;
    private final Supplier<KryoCodec> codec;
    private final Queue<ByteBuf> pending = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Runnable drainTask = this::drain;

    public NettyConnection(Channel channel, PeerInfo peer, Supplier<KryoCodec> codec) {
        this.channel = channel;
        this.peer = peer;
        this.codec = codec;
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
        if (!channel.isActive()) {
            return false;
        }
        ByteBuf frame = codec.get().encodeFrame(channel.alloc(), message);
        pending.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drainTask);
        }
        if (!channel.isActive()) {
            releasePending(); // closed while we queued: nothing will drain it
            return false;
        }
        return true;
    }

    private void drain() {
        // Reset first: a send racing with this drain either is seen by the loop or schedules another drain.
        drainScheduled.set(false);
        if (!channel.isActive()) {
            releasePending();
            return;
        }
        ByteBuf frame;
        while ((frame = pending.poll()) != null) {
            channel.write(frame, channel.voidPromise());
        }
        channel.flush();
    }

    private void releasePending() {
        ByteBuf frame;
        while ((frame = pending.poll()) != null) {
            frame.release();
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.eventLoop().execute(() -> {
            drain();
            channel.close();
        });
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
