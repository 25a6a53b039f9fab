package io.procactor.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.Registrations;
import io.procactor.transport.internal.KryoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes of refs on the wire, pinned: a node and its children must agree on them, so a change
 * here is a wire-format change and must be deliberate (update the hex and say so in the commit).
 * Each case is a whole MESSAGE frame as {@link KryoCodec} writes it (6-byte header, then Kryo).
 */
class RefCodecGoldenTest {
    private static final RefCodec REFS = new RefCodec();
    private final KryoCodec codec = new KryoCodec(
            Protocol.register(Registrations.builder(), RefImpl.class, REFS, AskRef.class, REFS.asks).build(), 1 << 20);
    private ByteBuf frame;

    @AfterEach
    void release() {
        if (frame != null) {
            frame.release();
        }
    }

    private static RefImpl ref(String process, String name) {
        return new RefImpl(null, process, name);
    }

    private String hex(Object message) {
        frame = codec.encodeFrame(UnpooledByteBufAllocator.DEFAULT, message);
        return ByteBufUtil.hexDump(frame);
    }

    private Object decode() {
        return codec.decode(frame.slice(6, frame.readableBytes() - 6));
    }

    @Test
    void aProcessesMainActorIsItsProcessNameAndANullName() {
        // id 100 (0x66 = 100 + 2), "worker" (Kryo ASCII, last char | 0x80), null string (0x80)
        assertThat(hex(ref("worker", "worker"))).isEqualTo("0000000a0104" + "66" + "776f726b65f2" + "80");
        assertThat(decode()).isEqualTo(ref("worker", "worker"));
    }

    @Test
    void anyOtherActorIsItsProcessNameAndItsName() {
        assertThat(hex(ref("worker", "echo"))).isEqualTo("0000000d0104" + "66" + "776f726b65f2" + "656368ef");
        assertThat(decode()).isEqualTo(ref("worker", "echo"));
    }

    @Test
    void anAskReplyAddressIsItsOwnTagTheAskingProcessAndTheAskId() {
        // id 125 (0x7f = 125 + 2) is the tag; "node"; the id as a zigzag varint (7 -> 0x0e)
        assertThat(hex(new AskRef(null, "node", 7))).isEqualTo("000000080104" + "7f" + "6e6f64e5" + "0e");
        assertThat(decode()).isInstanceOf(AskRef.class).isEqualTo(new AskRef(null, "node", 7));
        assertThat(((AskRef) decode()).id()).isEqualTo(7);
    }

    @Test
    void anAskEnvelopeCarriesTheTargetTheAsksReplyAddressAndTheBody() {
        Protocol.Envelope e = new Protocol.Envelope(ref("worker", "worker"), new AskRef(null, "node", 7), "hi");
        // Envelope id 101 (0x67); target ref; sender AskRef (0x7f) "node" + id 7; String (Kryo id 1 + 2 = 0x03) "hi"
        assertThat(hex(e)).isEqualTo("000000140104" + "67"
                + "66" + "776f726b65f2" + "80"
                + "7f" + "6e6f64e5" + "0e"
                + "03" + "68e9");
        Protocol.Envelope back = (Protocol.Envelope) decode();
        assertThat(back.target()).isEqualTo(e.target()).isNotInstanceOf(AskRef.class);
        assertThat(back.sender()).isInstanceOf(AskRef.class).isEqualTo(e.sender());
        assertThat(back.body()).isEqualTo("hi");
    }

    @Test
    void anActorRefNeverEqualsAnAskRefOfTheSameDisplayName() {
        AskRef ask = new AskRef(null, "node", 7);
        assertThat(ref("node", ask.name())).isNotEqualTo(ask);
        assertThat((Object) ask).isNotEqualTo(ref("node", ask.name()));
    }

    @Test
    void aTellWithoutSenderWritesANullSender() {
        Protocol.Envelope e = new Protocol.Envelope(ref("w", "echo"), null, 42);
        // a one-char string is length-prefixed (0x82 'w'); null object = 0x00; Integer is Kryo id 0 (0x02), zigzag 42 = 0x54
        assertThat(hex(e)).isEqualTo("0000000d0104" + "67" + "66" + "8277" + "656368ef" + "00" + "02" + "54");
        Protocol.Envelope back = (Protocol.Envelope) decode();
        assertThat(back.target()).isEqualTo(e.target());
        assertThat(back.sender()).isNull();
        assertThat(back.body()).isEqualTo(42);
    }
}
