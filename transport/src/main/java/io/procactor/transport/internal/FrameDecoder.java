package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the byte stream into {@link InboundFrame}s. A frame longer than {@code maxFrameSize}
 * fails fast with a {@code TooLongFrameException} (its bytes are skipped, so a later frame still
 * decodes); a wrong version or an empty frame raises {@link CorruptedFrameException}. Stateful:
 * one instance per channel.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    public FrameDecoder(int maxFrameSize) {
        // length field: 4 bytes at offset 0, counting what follows; stripped from the output
        super(maxFrameSize + 4, 0, 4, 0, 4, true);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
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
