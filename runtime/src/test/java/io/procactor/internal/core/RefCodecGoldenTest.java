package io.procactor.internal.core;

import static io.procactor.internal.core.GoldenFrames.assertGolden;
import static io.procactor.internal.core.GoldenFrames.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.internal.wire.Protocol;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of the runtime's refs and envelopes (the control records' are in
 * {@link ControlRecordsGoldenTest}). A change in these bytes is a wire-format change: processes
 * built before and after it cannot talk to each other. Change the format on
 * purpose, then update the fixtures and say in the commit what changed; never just paste the new
 * output. History: until typed asks, an ask's reply-to was an ordinary ref (66) named
 * {@code $ask-<id>} ({@code 66 6e6f64e5 2461736b2db7} for ask 7 of the node); it is now an
 * {@link AskRef} under its own id 125 ({@code 7f 6e6f64e5 0e}).
 *
 * <p>Every frame: length (4 bytes, counting what follows) | version 01 | kind 04 (MESSAGE) | class
 * id | body. Kryo writes a registration id as a varint of id + 2 (RefImpl 100 = 66, Envelope 101 =
 * 67, Failure 102 = 68, AskRef 125 = 7f, its String 3, its Integer 2; 00 is a null object); a long
 * as a zig-zag varint (7 = 0e). A string of 2 to 32
 * ASCII characters is written as its bytes with the last one's high bit set; a longer one as a
 * varint of length + 1 flagged with 0x80 and then its bytes; 80 is a null string.
 */
class RefCodecGoldenTest {
    /** A process's main actor carries the process's name: the actor name is written as null (80). */
    private static final String MAIN_ACTOR = "0000000c" + "01" + "04" + "66" + "776f726b65722db1" + "80";
    /** 66 | "worker-1" | "counter". */
    private static final String CHILD_ACTOR = "00000012" + "01" + "04" + "66" + "776f726b65722db1" + "636f756e7465f2";
    /** An ask's reply-to: its own tag 7f, the asking process ("node") and the ask id (7 = 0e). */
    private static final String ASK_REPLY_TO = "00000008" + "01" + "04" + "7f" + "6e6f64e5" + "0e";
    /** 67 | target: 66 "worker-1" "counter" | sender: 7f "node" 7 | body: 03 "hi". */
    private static final String ENVELOPE_OF_AN_ASK = "0000001c" + "01" + "04" + "67"
            + "66" + "776f726b65722db1" + "636f756e7465f2"
            + "7f" + "6e6f64e5" + "0e"
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
        assertGolden(new AskRef(null, "node", 7), ASK_REPLY_TO);
        assertThat(decode(ASK_REPLY_TO)).isInstanceOfSatisfying(AskRef.class, a -> assertThat(a.id()).isEqualTo(7));
    }

    @Test
    void envelopeOfAnAsk() {
        assertGolden(new Protocol.Envelope(ref("worker-1", "counter"), new AskRef(null, "node", 7), "hi"), ENVELOPE_OF_AN_ASK);
        Protocol.Envelope e = (Protocol.Envelope) decode(ENVELOPE_OF_AN_ASK);
        assertThat(e.target()).isNotInstanceOf(AskRef.class);
        assertThat(e.sender()).isInstanceOf(AskRef.class);
    }

    @Test
    void anActorRefNeverEqualsAnAskRefOfTheSameDisplayName() {
        AskRef ask = new AskRef(null, "node", 7);
        assertThat(ref("node", ask.name())).isNotEqualTo(ask);
        assertThat((Object) ask).isNotEqualTo(ref("node", ask.name()));
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
}
