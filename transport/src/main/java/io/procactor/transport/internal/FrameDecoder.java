package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into frames. A frame longer than {@code maxFrameSize} fails fast with a
 * {@code TooLongFrameException} as soon as its length field arrives (its bytes are skipped, so a
 * later frame still decodes); a wrong version or an empty frame raises {@link CorruptedFrameException}.
 *
 * <p>Until a {@link Receiver} is set, each frame goes down the pipeline as an {@link InboundFrame}
 * (the handshake reads them so). Once the {@link MessageHandler} takes over, it is this decoder's
 * receiver: each frame is handed to it in place, a region of the read buffer, with no slice, no
 * frame object and no pipeline hop. That is the hot path of every message, so it costs what it must.
 *
 * <p>A server's decoder starts with a lower limit, {@link Frames#MAX_HELLO_FRAME}, until the
 * handshake stage {@link #admit admits} the peer: a bigger frame from a stranger fails as soon as
 * its length field arrives and nothing of it is buffered. After {@link #reject()} every byte is
 * dropped on arrival, so a refused peer's data is never decoded or kept.
 *
 * <p>Stateful: one instance per channel, called on its event loop only.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** Takes frames in place: {@code body} bytes of {@code in} from {@code index}; valid only during the call. */
    public interface Receiver {
        void frame(byte kind, ByteBuf in, int index, int length);
    }

    private final int maxFrameSize;
    private int limit;
    private boolean rejecting;
    /** Bytes of a too-long frame still to skip as they arrive. */
    private long discarding;
    private Receiver receiver;

    /** A decoder that takes frames up to {@code maxFrameSize} from the start (a client's). */
    public FrameDecoder(int maxFrameSize) {
        this(maxFrameSize, maxFrameSize);
    }

    /** A decoder that takes frames up to {@code initialLimit} until {@link #admit()} (a server's). */
    public FrameDecoder(int maxFrameSize, int initialLimit) {
        this.maxFrameSize = maxFrameSize;
        this.limit = Math.min(initialLimit, maxFrameSize);
    }

    /** The peer passed the handshake: frames up to the full size are read from now on. */
    public void admit() {
        limit = maxFrameSize;
    }

    /** The peer was refused: every byte that arrives from now on is dropped unread. */
    public void reject() {
        rejecting = true;
    }

    /** From now on frames go to {@code receiver} in place (null: down the pipeline again). */
    void receiveWith(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (out.isEmpty() && !ctx.isRemoved()) {
            if (rejecting) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (discarding > 0) {
                int skip = (int) Math.min(discarding, in.readableBytes());
                in.skipBytes(skip);
                discarding -= skip;
                if (discarding > 0) {
                    return;
                }
            }
            int start = in.readerIndex();
            if (in.writerIndex() - start < Frames.LENGTH_BYTES) {
                return;
            }
            long length = in.getUnsignedInt(start); // counts what follows the length field
            if (length > limit) {
                tooLong(in, length);
            }
            int end = start + Frames.LENGTH_BYTES + (int) length;
            if (in.writerIndex() < end) {
                return; // the rest of the frame has not arrived
            }
            if (length < Frames.VERSION_AND_KIND) {
                in.readerIndex(end);
                throw new CorruptedFrameException("frame of " + length + " bytes has no version and kind");
            }
            byte version = in.getByte(start + Frames.LENGTH_BYTES);
            if (version != Frames.VERSION) {
                in.readerIndex(end);
                throw new CorruptedFrameException("frame version [" + version + "] is not supported; this side speaks version ["
                        + Frames.VERSION + "]");
            }
            byte kind = in.getByte(start + Frames.LENGTH_BYTES + 1);
            int body = start + Frames.HEADER_BYTES;
            in.readerIndex(end); // before the receiver runs: whatever it throws, this frame is consumed
            if (receiver != null) {
                receiver.frame(kind, in, body, end - body);
            } else {
                out.add(new InboundFrame(kind, in.retainedSlice(body, end - body)));
            }
        }
    }

    /**
     * Netty's decoder asks for another read when a read fired nothing down the pipeline and reads
     * are not automatic. Frames handed to the receiver are never fired, so that rule would read on
     * through {@link io.procactor.transport.Connection#pauseReads paused reads}: with a receiver,
     * only a resumed connection reads again.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (receiver == null) {
            super.channelReadComplete(ctx);
            return;
        }
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    // Netty's decoder inherits these from ChannelInboundHandlerAdapter, annotated @Skip: reading those
    // annotations costs a cold process 10-15 ms (see InboundHandler). Overridden, they carry none.

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        ctx.fireChannelUnregistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
    }

    /** Skips the frame (what has arrived now, the rest as it arrives) and fails. */
    private void tooLong(ByteBuf in, long length) {
        if (limit < maxFrameSize) { // a stranger: nothing more of it is read at all
            rejecting = true;
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("frame of [" + length + "] bytes before the handshake completed; at most ["
                    + limit + "] are accepted from a peer that has not been admitted"
                    + ((length >>> 16) == 0x1603 ? " (the bytes are a TLS handshake: the peer uses procactor.transport.tls,"
                    + " this side does not)" : ""));
        }
        long total = Frames.LENGTH_BYTES + length;
        int now = (int) Math.min(total, in.readableBytes());
        in.skipBytes(now);
        discarding = total - now;
        throw new TooLongFrameException("frame of [" + length + "] bytes is over procactor.transport.max-frame-size ["
                + maxFrameSize + "]; it is skipped (the sender must send smaller messages, or both sides raise the limit)");
    }
}
