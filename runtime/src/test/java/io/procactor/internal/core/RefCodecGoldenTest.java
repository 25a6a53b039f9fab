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
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of the runtime's refs and envelopes as they travel today, taken before asks became
 * a typed recipient (an ask's reply-to is still the ref named {@code $ask-<id>} in the asking
 * process). A change in these bytes is a wire-format change: processes built before and after it
 * cannot talk to each other. Change the format on purpose, bump the protocol version, then update
 * the fixtures; never just paste the new output. Moves to {@code io.procactor.internal.wire} with
 * {@code RefCodec}.
 *
 * <p>Every frame: length (4 bytes, counting what follows) | version 01 | kind 04 (MESSAGE) | class
 * id | body. Kryo writes a registration id as a varint of id + 2 (RefImpl 100 = 66, Envelope 101 =
 * 67, Failure 102 = 68, its String 3, its Integer 2; 00 is a null object). A string of 2 to 32
 * ASCII characters is written as its bytes with the last one's high bit set; a longer one as a
 * varint of length + 1 flagged with 0x80 and then its bytes; 80 is a null string.
 */
class RefCodecGoldenTest {
    private static final KryoCodec CODEC =
            new KryoCodec(Protocol.register(Registrations.builder(), RefImpl.class, new RefCodec()).build(), 64 * 1024);

    /** A process's main actor carries the process's name: the actor name is written as null (80). */
    private static final String MAIN_ACTOR = "0000000c" + "01" + "04" + "66" + "776f726b65722db1" + "80";
    /** 66 | "worker-1" | "counter". */
    private static final String CHILD_ACTOR = "00000012" + "01" + "04" + "66" + "776f726b65722db1" + "636f756e7465f2";
    /** An ask's reply-to today: a ref in the asking process (the node) named "$ask-7". */
    private static final String ASK_REPLY_TO = "0000000d" + "01" + "04" + "66" + "6e6f64e5" + "2461736b2db7";
    /** 67 | target: 66 "worker-1" "counter" | sender: 66 "node" "$ask-7" | body: 03 "hi". */
    private static final String ENVELOPE_OF_AN_ASK = "00000021" + "01" + "04" + "67"
            + "66" + "776f726b65722db1" + "636f756e7465f2"
            + "66" + "6e6f64e5" + "2461736b2db7"
            + "03" + "68e9";
    /** 67 | target: 66 "worker-1" null | no sender: 00 | body: 02 (Integer) 54 (42 zig-zag). */
    private static final String ENVELOPE_WITHOUT_SENDER = "00000010" + "01" + "04" + "67"
            + "66" + "776f726b65722db1" + "80"
            + "00"
            + "02" + "54";
    /**
     * 68 | Kryo's record serializer writes components sorted by name: actorPath (33 chars: a2 =
     * flagged length 34, then the bytes), className, message, stackTrace.
     */
    private static final String FAILURE = "0000004d" + "01" + "04" + "68"
            + "a2" + "70726f636163746f723a2f2f64656d6f2f776f726b65722d312f636f756e746572"
            + "6a6176612e6c616e672e496c6c6567616c5374617465457863657074696fee"
            + "626f6fed"
            + "74726163e5";

    private static RefImpl ref(String process, String name) {
        return new RefImpl(null, process, name); // the codec reads only the names; no ProcessCore needed
    }

    @Test
    void refOfAProcesssMainActor() {
        assertGolden(ref("worker-1", "worker-1"), MAIN_ACTOR);
    }

    @Test
    void refOfAnotherActor() {
        assertGolden(ref("worker-1", "counter"), CHILD_ACTOR);
    }

    @Test
    void askReplyToRef() {
        assertGolden(ref("node", "$ask-7"), ASK_REPLY_TO);
    }

    @Test
    void envelopeOfAnAsk() {
        assertGolden(new Protocol.Envelope(ref("worker-1", "counter"), ref("node", "$ask-7"), "hi"), ENVELOPE_OF_AN_ASK);
    }

    @Test
    void envelopeWithoutSender() {
        assertGolden(new Protocol.Envelope(ref("worker-1", "worker-1"), null, 42), ENVELOPE_WITHOUT_SENDER);
    }

    @Test
    void failureReply() {
        assertGolden(new Protocol.Failure("java.lang.IllegalStateException", "boom", "trace", "procactor://demo/worker-1/counter"),
                FAILURE);
    }

    /** Today's encoder writes exactly the fixture, and today's decoder reads the fixture back to an equal value. */
    private static void assertGolden(Object value, String fixture) {
        assertThat(encode(value)).isEqualTo(fixture);
        byte[] frame = HexFormat.of().parseHex(fixture);
        ByteBuf body = Unpooled.wrappedBuffer(frame, 6, frame.length - 6);
        try {
            assertThat(CODEC.decode(body)).isEqualTo(value);
        } finally {
            body.release();
        }
    }

    private static String encode(Object message) {
        ByteBuf frame = CODEC.encodeFrame(UnpooledByteBufAllocator.DEFAULT, message);
        try {
            return HexFormat.of().formatHex(ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }
}
