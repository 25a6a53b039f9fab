package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Splits the byte stream into {@link InboundFrame}s. A frame longer than {@code maxFrameSize}
 * fails fast with a {@code TooLongFrameException} (its bytes are skipped, so a later frame still
 * decodes); a wrong version or an empty frame raises {@link CorruptedFrameException}.
 *
 * <p>A server's decoder starts with a lower limit, {@link Frames#MAX_HELLO_FRAME}, until the
 * handshake stage {@link #admit admits} the peer: a bigger frame from a stranger fails as soon as
 * its length field arrives and nothing of it is buffered. After {@link #reject()} every byte is
 * dropped on arrival, so a refused peer's data is never decoded or kept.
 *
 * <p>Stateful: one instance per channel, called on its event loop only.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    private final int maxFrameSize;
    private int limit;
    private boolean rejecting;

    /** A decoder that takes frames up to {@code maxFrameSize} from the start (a client's). */
    public FrameDecoder(int maxFrameSize) {
        this(maxFrameSize, maxFrameSize);
    }

    /** A decoder that takes frames up to {@code initialLimit} until {@link #admit()} (a server's). */
    public FrameDecoder(int maxFrameSize, int initialLimit) {
        // length field: 4 bytes at offset 0, counting what follows; stripped from the output
        super(maxFrameSize + Frames.LENGTH_BYTES, 0, Frames.LENGTH_BYTES, 0, Frames.LENGTH_BYTES, true);
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

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (rejecting) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        if (limit < maxFrameSize && in.readableBytes() >= Frames.LENGTH_BYTES) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > limit) {
                rejecting = true;
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException("frame of [" + length + "] bytes before the handshake completed; at most ["
                        + limit + "] are accepted from a peer that has not been admitted"
                        + ((length >>> 16) == 0x1603 ? " (the bytes are a TLS handshake: the peer uses procactor.transport.tls,"
                        + " this side does not)" : ""));
            }
        }
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        if (frame.readableBytes() < Frames.VERSION_AND_KIND) {
            frame.release();
            throw new CorruptedFrameException("frame of " + frame.readableBytes() + " bytes has no version and kind");
        }
        byte version = frame.readByte();
        if (version != Frames.VERSION) {
            frame.release();
            throw new CorruptedFrameException("frame version [" + version + "] is not supported; this side speaks version ["
                    + Frames.VERSION + "]");
        }
        byte kind = frame.readByte();
        return new InboundFrame(kind, frame);
    }
}
