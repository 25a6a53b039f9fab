package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX = 64;

    private EmbeddedChannel channel;
    /** Every buffer written in, to check that the decoder released it. */
    private final List<ByteBuf> written = new ArrayList<>();

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel(new FrameDecoder(MAX));
    }

    @AfterEach
    void tearDown() {
        assertThat(channel.finishAndReleaseAll()).as("no frames left undecoded or unread").isFalse();
        assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).as("input buffer released").isZero());
    }

    @Test
    void frameSplitAcrossSeveralWritesDecodes() {
        byte[] frame = frame(1, Frames.MESSAGE, "hello, frames");
        for (int i = 0; i < frame.length; i++) {
            channel.writeInbound(in(new byte[] {frame[i]}));
            if (i < frame.length - 1) {
                assertThat(nextInbound()).as("nothing before the last byte (%d)", i).isNull();
            }
        }
        assertFrame(channel.readInbound(), Frames.MESSAGE, "hello, frames");
    }

    @Test
    void frameSplitInsideTheLengthFieldAndTheBodyDecodes() {
        byte[] frame = frame(1, Frames.HELLO, "split");
        channel.writeInbound(in(slice(frame, 0, 2)));
        channel.writeInbound(in(slice(frame, 2, 7)));
        assertThat(nextInbound()).isNull();
        channel.writeInbound(in(slice(frame, 7, frame.length)));
        assertFrame(channel.readInbound(), Frames.HELLO, "split");
    }

    @Test
    void severalFramesInOneBufferDecode() {
        byte[] all = concat(frame(1, Frames.HELLO, "one"), frame(1, Frames.MESSAGE, ""),
                frame(1, Frames.REFUSE, "three"), frame(1, Frames.MESSAGE, "x".repeat(MAX - 2)));
        channel.writeInbound(in(all));
        assertFrame(channel.readInbound(), Frames.HELLO, "one");
        assertFrame(channel.readInbound(), Frames.MESSAGE, "");
        assertFrame(channel.readInbound(), Frames.REFUSE, "three");
        assertFrame(channel.readInbound(), Frames.MESSAGE, "x".repeat(MAX - 2));
        assertThat(nextInbound()).isNull();
    }

    @Test
    void frameOfExactlyMaxFrameSizeDecodes() {
        String body = "b".repeat(MAX - Frames.VERSION_AND_KIND); // length field == MAX
        channel.writeInbound(in(frame(1, Frames.MESSAGE, body)));
        assertFrame(channel.readInbound(), Frames.MESSAGE, body);
    }

    @Test
    void tooLongFrameFailsAndTheNextValidFrameStillDecodes() {
        byte[] tooLong = frame(1, Frames.MESSAGE, "z".repeat(MAX - 1)); // length field MAX + 1
        assertThatThrownBy(() -> channel.writeInbound(in(tooLong)))
                .isInstanceOf(TooLongFrameException.class);
        assertThat(nextInbound()).isNull();

        channel.writeInbound(in(frame(1, Frames.MESSAGE, "after")));
        assertFrame(channel.readInbound(), Frames.MESSAGE, "after");
    }

    @Test
    void tooLongFrameFailsAsSoonAsItsLengthArrivesAndItsBodyIsSkippedAcrossWrites() {
        byte[] tooLong = frame(1, Frames.MESSAGE, "z".repeat(3 * MAX));
        // Only the header: the decoder fails fast, before the body arrives.
        assertThatThrownBy(() -> channel.writeInbound(in(slice(tooLong, 0, 6))))
                .isInstanceOf(TooLongFrameException.class);
        // The body trickles in and is discarded; the next frame shares the last buffer.
        channel.writeInbound(in(slice(tooLong, 6, 100)));
        assertThat(nextInbound()).isNull();
        channel.writeInbound(in(concat(slice(tooLong, 100, tooLong.length), frame(1, Frames.MESSAGE, "next"))));
        assertFrame(channel.readInbound(), Frames.MESSAGE, "next");
    }

    @Test
    void wrongVersionRaisesCorruptedFrameException() {
        assertThatThrownBy(() -> channel.writeInbound(in(frame(2, Frames.MESSAGE, "v2"))))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("version [2]");
        assertThat(nextInbound()).isNull();
    }

    @Test
    void frameWithoutVersionAndKindRaisesCorruptedFrameException() {
        assertThatThrownBy(() -> channel.writeInbound(in(new byte[] {0, 0, 0, 1, 1})))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("no version and kind");
        assertThatThrownBy(() -> channel.writeInbound(in(new byte[] {0, 0, 0, 0})))
                .isInstanceOf(CorruptedFrameException.class);
    }

    @Test
    void lengthWithTheTopBitSetIsTooLongNotNegative() {
        // The length field is read unsigned, so 0x80000000 is a 2 GiB frame, not a negative one.
        assertThatThrownBy(() -> channel.writeInbound(in(new byte[] {(byte) 0x80, 0, 0, 0, 1, 4})))
                .isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void decodedBodyIsReleasedByItsReceiver() {
        channel.writeInbound(in(frame(1, Frames.MESSAGE, "owned")));
        InboundFrame f = channel.readInbound();
        assertThat(f.body().refCnt()).isPositive();
        f.body().release();
        assertThat(f.body().refCnt()).isZero();
    }

    // --- a server's decoder before the handshake -----------------------------------------------

    @Test
    void beforeAdmissionAFrameOverTheHelloLimitFailsAtItsLengthFieldAndNothingIsBuffered() {
        FrameDecoder decoder = new FrameDecoder(MAX, 16);
        EmbeddedChannel server = new EmbeddedChannel(decoder);
        try {
            // A header declaring a 17-byte frame, and no body yet: refused on the header alone.
            ByteBuf header = in(new byte[] {0, 0, 0, 17, 1, 4});
            assertThatThrownBy(() -> server.writeInbound(header))
                    .isInstanceOf(TooLongFrameException.class)
                    .hasMessageContaining("frame of [17] bytes before the handshake completed; at most [16]");
            // Whatever follows is dropped on arrival, never cumulated: even a valid small frame.
            server.writeInbound(in(frame(1, Frames.HELLO, "late")));
            server.writeInbound(in(new byte[64]));
            assertThat(server.<Object>readInbound()).isNull();
            assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).as("dropped, not held").isZero());
        } finally {
            assertThat(server.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void beforeAdmissionAFrameWithinTheHelloLimitDecodesAndAfterAdmissionTheFullSizeApplies() {
        FrameDecoder decoder = new FrameDecoder(MAX, 16);
        EmbeddedChannel server = new EmbeddedChannel(decoder);
        try {
            server.writeInbound(in(frame(1, Frames.HELLO, "x".repeat(14)))); // length field 16
            assertFrame(server.readInbound(), Frames.HELLO, "x".repeat(14));
            decoder.admit();
            server.writeInbound(in(frame(1, Frames.MESSAGE, "y".repeat(MAX - 2)))); // length field MAX
            assertFrame(server.readInbound(), Frames.MESSAGE, "y".repeat(MAX - 2));
        } finally {
            assertThat(server.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void afterRejectEveryByteIsDroppedUnread() {
        FrameDecoder decoder = new FrameDecoder(MAX, 16);
        EmbeddedChannel server = new EmbeddedChannel(decoder);
        try {
            decoder.reject();
            server.writeInbound(in(frame(1, Frames.MESSAGE, "never decoded")));
            server.writeInbound(in(new byte[] {0, 0, 0}));
            assertThat(server.<Object>readInbound()).isNull();
            assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        } finally {
            assertThat(server.finishAndReleaseAll()).isFalse();
        }
    }

    // --- frames handed to a receiver in place (after the handshake) ----------------------------

    /** What a receiver was handed: kind and body, copied during the call (the region is valid only then). */
    private final List<String> received = new ArrayList<>();

    private FrameDecoder.Receiver recorder() {
        return (kind, in, index, length) -> received.add(kind + ":" + in.toString(index, length, StandardCharsets.UTF_8));
    }

    @Test
    void withAReceiverFramesAreHandedOverInPlaceAndNothingGoesDownThePipeline() {
        FrameDecoder decoder = (FrameDecoder) channel.pipeline().first();
        decoder.receiveWith(recorder());
        byte[] two = concat(frame(1, Frames.MESSAGE, "one"), frame(1, Frames.PING, ""), frame(1, Frames.MESSAGE, "three"));
        channel.writeInbound(in(slice(two, 0, 9))); // the first frame and 2 bytes of the second's length
        assertThat(received).containsExactly("4:one");
        channel.writeInbound(in(slice(two, 9, two.length)));
        assertThat(received).containsExactly("4:one", "5:", "4:three");
        assertThat(nextInbound()).isNull();
    }

    @Test
    void withAReceiverATooLongFrameStillFailsAndIsSkipped() {
        FrameDecoder decoder = (FrameDecoder) channel.pipeline().first();
        decoder.receiveWith(recorder());
        byte[] tooLong = frame(1, Frames.MESSAGE, "z".repeat(2 * MAX));
        assertThatThrownBy(() -> channel.writeInbound(in(slice(tooLong, 0, 10))))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining("frame of [" + (2 * MAX + 2) + "] bytes is over procactor.transport.max-frame-size [" + MAX + "]");
        channel.writeInbound(in(concat(slice(tooLong, 10, tooLong.length), frame(1, Frames.MESSAGE, "after"))));
        assertThat(received).containsExactly("4:after");
    }

    @Test
    void withAReceiverAPausedChannelIsNotAskedToReadAgain() {
        // Netty's decoder asks for a read after one that fired nothing while auto-read is off; frames
        // handed to a receiver fire nothing, so that rule would read on through a pause.
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        EmbeddedChannel paused = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void read(io.netty.channel.ChannelHandlerContext ctx) {
                reads.incrementAndGet();
                ctx.read();
            }
        }, new FrameDecoder(MAX));
        try {
            ((FrameDecoder) paused.pipeline().last()).receiveWith(recorder());
            paused.config().setAutoRead(false);
            int before = reads.get();
            paused.writeInbound(in(concat(frame(1, Frames.MESSAGE, "m"), slice(frame(1, Frames.MESSAGE, "partial"), 0, 5))));
            paused.writeInbound(in(new byte[] {0}));
            assertThat(received).containsExactly("4:m");
            assertThat(reads.get()).as("reads asked for while paused").isEqualTo(before);
        } finally {
            assertThat(paused.finishAndReleaseAll()).isFalse();
        }
    }

    // ---------------------------------------------------------------------------------------

    private Object nextInbound() {
        return channel.readInbound();
    }

    private ByteBuf in(byte[] bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length).writeBytes(bytes);
        written.add(b);
        return b;
    }

    private static void assertFrame(Object decoded, byte kind, String body) {
        assertThat(decoded).isInstanceOf(InboundFrame.class);
        InboundFrame f = (InboundFrame) decoded;
        try {
            assertThat(f.kind()).isEqualTo(kind);
            assertThat(ByteBufUtil.getBytes(f.body())).asString(StandardCharsets.UTF_8).isEqualTo(body);
        } finally {
            f.body().release(); // bodies share the cumulation's count: tearDown checks it reached zero
        }
    }

    static byte[] frame(int version, byte kind, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(2 + b.length).writeByte(version).writeByte(kind).writeBytes(b);
        return ByteBufUtil.getBytes(buf);
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf all = Unpooled.buffer();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return ByteBufUtil.getBytes(all);
    }
}
