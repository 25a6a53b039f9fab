package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The one place a frame header is written, and golden bytes of the handshake frames built on it. */
class FramesTest {
    @Test
    void writeHeaderWithAKnownBodyLength() {
        ByteBuf b = Unpooled.buffer();
        Frames.writeHeader(b, Frames.MESSAGE, 3);
        b.writeBytes(new byte[] {7, 8, 9});
        assertThat(hex(b)).isEqualTo("00000005" + "01" + "04" + "070809");
    }

    @Test
    void patchLengthCountsWhatFollowsTheLengthField() {
        ByteBuf b = Unpooled.buffer().writeBytes(new byte[] {(byte) 0xAA}); // something before the frame
        Frames.writeHeader(b, Frames.REFUSE, 0);
        b.writeBytes(new byte[] {1, 2, 3, 4});
        Frames.patchLength(b, 1);
        assertThat(hex(b)).isEqualTo("aa" + "00000006" + "01" + "03" + "01020304");
    }

    /** Golden bytes: a change here is a wire-format change (bump Frames.VERSION or PROTOCOL_VERSION deliberately). */
    @Test
    void goldenBytesOfHelloAndRefuse() {
        assertThat(hex(Handshake.hello(UnpooledByteBufAllocator.DEFAULT, "ab", 258, new byte[] {(byte) 0xFF, 0})))
                .isEqualTo("00000016" + "01" + "01" + "00000004" + "0000000000000102" + "0002" + "6162" + "0002" + "ff00");
        assertThat(hex(Handshake.refuse(UnpooledByteBufAllocator.DEFAULT, "no")))
                .isEqualTo("00000006" + "01" + "03" + "0002" + "6e6f");
    }

    private static String hex(ByteBuf b) {
        try {
            return HexFormat.of().formatHex(ByteBufUtil.getBytes(b));
        } finally {
            b.release();
        }
    }
}
