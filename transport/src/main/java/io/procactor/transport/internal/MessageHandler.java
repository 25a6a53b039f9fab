package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.procactor.transport.Inbound;
import io.procactor.transport.MessageLimitException;
import io.procactor.transport.SerializationException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last stage after the handshake: decodes MESSAGE frames and hands them to the {@link Inbound},
 * answers PING frames with a PONG and reports PONG frames. Any other frame kind is a protocol
 * error that closes this connection. A message that cannot be decoded is dropped (the length
 * prefix keeps the stream in step); one that declares more than it holds or the
 * {@link io.procactor.transport.DecodeLimits} allow comes from a broken or hostile peer and closes
 * this connection, with one log line.
 *
 * <p>Stateful: one instance per channel, called on its event loop only.
 */
public final class MessageHandler extends InboundHandler implements FrameDecoder.Receiver {
    private static final Logger log = LoggerFactory.getLogger(MessageHandler.class);

    private final NettyConnection connection;
    private final Inbound inbound;
    private final Supplier<KryoCodec> codec;
    private ChannelHandlerContext ctx;
    private boolean closing;
    /** Why the connection closed, or null for an orderly close or a peer that went away. */
    private Throwable failure;

    public MessageHandler(NettyConnection connection, Inbound inbound, Supplier<KryoCodec> codec) {
        this.connection = connection;
        this.inbound = inbound;
        this.codec = codec;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        FrameDecoder frames = ctx.pipeline().get(FrameDecoder.class);
        if (frames != null) {
            frames.receiveWith(this); // frames come straight from the decoder from now on
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        FrameDecoder frames = ctx.pipeline().get(FrameDecoder.class);
        if (frames != null) {
            frames.receiveWith(null);
        }
    }

    /** A frame that came down the pipeline (only while no decoder hands frames over directly). */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        InboundFrame frame = (InboundFrame) msg;
        try {
            frame(frame.kind(), frame.body(), frame.body().readerIndex(), frame.body().readableBytes());
        } finally {
            frame.body().release();
        }
    }

    /**
     * A frame from the {@link FrameDecoder}, in place. What it throws goes to {@link #exceptionCaught}
     * here, as it would from {@link #channelRead}, so the cause of a close is the same either way.
     */
    @Override
    public void frame(byte kind, ByteBuf in, int index, int length) {
        try {
            if (closing) {
                return; // frames that were already split off before the close: not decoded
            }
            if (kind == Frames.PING) {
                answer(ctx);
                return;
            }
            if (kind == Frames.PONG) {
                inbound.onPong(connection);
                return;
            }
            if (kind != Frames.MESSAGE) {
                throw new CorruptedFrameException("unexpected " + Frames.kindName(kind) + " frame after the handshake");
            }
            Object message;
            try {
                message = codec.get().decode(in, index, length);
            } catch (MessageLimitException e) {
                closing = true;
                failure = e;
                log.warn("Closing connection to {}: {}", connection.peer(), LogText.escape(e.getMessage(), 500));
                ctx.close();
                return;
            } catch (SerializationException e) {
                // The length prefix kept the stream in step: drop this message, keep the connection.
                log.error("Dropped a message from {}: {}", connection.peer(), LogText.escape(e.getMessage(), 500), e);
                return;
            }
            inbound.onMessage(connection, message);
        } catch (Throwable t) {
            exceptionCaught(ctx, t);
        }
    }

    /**
     * Answers a PING here, on the I/O thread: no Kryo, no inbound callback, so it costs little even
     * while this JVM's code is still interpreted. Skipped while the output is backed up: a peer that
     * does not read its input gains nothing from more of it (and it hears from us through what is queued).
     */
    private static void answer(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.writeAndFlush(Frames.empty(ctx.alloc(), Frames.PONG)); // a failed write closes the channel as any other
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) { // the first failure is the cause; what follows is fallout of closing
            closing = true;
            if (PeerReset.is(cause)) {
                log.debug("Connection to {} reset by the peer: {}", connection.peer(), cause.toString());
            } else {
                failure = cause;
                log.warn("Closing connection to {}: {}", connection.peer(), cause.toString());
            }
        }
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inbound.onReadComplete(connection);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inbound.onClosed(connection, failure);
    }
}
