package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Registrations;
import io.procactor.transport.internal.KryoCodec;
import java.util.HexFormat;

/**
 * The runtime's registration table with its real codecs, and golden-byte checks of whole frames
 * against it (see {@link RefCodecGoldenTest} for how to read a fixture). Stateless; thread-safe.
 */
final class GoldenFrames {
    private static final RefCodec REFS = new RefCodec();
    private static final KryoCodec CODEC = new KryoCodec(
            Protocol.register(Registrations.builder(), RefImpl.class, REFS, AskRef.class, REFS.asks).build(), 64 * 1024);

    private GoldenFrames() {
    }

    /** Today's encoder writes exactly the fixture, and today's decoder reads the fixture back to an equal value. */
    static void assertGolden(Object value, String fixture) {
        assertThat(encode(value)).isEqualTo(fixture);
        assertThat(decode(fixture)).isEqualTo(value);
    }

    static Object decode(String fixture) {
        byte[] frame = HexFormat.of().parseHex(fixture);
        ByteBuf body = Unpooled.wrappedBuffer(frame, 6, frame.length - 6);
        try {
            return CODEC.decode(body);
        } finally {
            body.release();
        }
    }

    static String encode(Object message) {
        ByteBuf frame = CODEC.encodeFrame(UnpooledByteBufAllocator.DEFAULT, message);
        try {
            return HexFormat.of().formatHex(ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }
}
