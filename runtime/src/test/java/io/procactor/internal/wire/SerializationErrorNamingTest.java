package io.procactor.internal.wire;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import io.procactor.transport.internal.KryoCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An unregistered class is reported as part of what the user sent, with the field path inside
 * it: never as part of the runtime's own envelope or batch.
 */
class SerializationErrorNamingTest {
    record Item(String name) {
    }

    record Line(Item item, int quantity) {
    }

    record Order(Line line) {
    }

    private static final KryoCodec CODEC = new KryoCodec(Protocol.registerFunctions(Registrations.builder(), new LambdaCodec())
            .register(Protocol.Envelope.class, 101, WireCodecs.ENVELOPE)
            .register(Protocol.Batch.class, 111, WireCodecs.BATCH)
            .register(Order.class, 1000).register(Line.class, 1001).build(), 64 * 1024);

    private static void send(Object message) {
        CODEC.encodeFrame(UnpooledByteBufAllocator.DEFAULT, message).release();
    }

    @Test
    void anUnregisteredMessageIsNamedAloneNotAsPartOfTheEnvelope() {
        assertThatThrownBy(() -> send(new Protocol.Envelope(null, null, new Item("tea"))))
                .isInstanceOf(SerializationException.class)
                .hasMessage("class [" + Item.class.getName() + "] is not registered for serialization");
    }

    @Test
    void anUnregisteredClassInsideAMessageIsNamedWithItsFieldPath() {
        assertThatThrownBy(() -> send(new Protocol.Envelope(null, null, new Order(new Line(new Item("tea"), 2)))))
                .isInstanceOf(SerializationException.class)
                .hasMessage("class [" + Item.class.getName() + "] is not registered for serialization (found in field [line.item] of a "
                        + "message of type [" + Order.class.getName() + "])");
    }

    @Test
    void aMessageTooLargeForAFrameIsNamedNotItsEnvelope() {
        byte[] big = new byte[70 * 1024];
        assertThatThrownBy(() -> send(new Protocol.Envelope(null, null, big)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("message of type [[B] needs more than max-frame-size");
    }

    @Test
    void anUnregisteredPoolTaskIsNamedAloneNotAsPartOfTheBatch() {
        assertThatThrownBy(() -> send(new Protocol.Batch(1, List.of(new Order(null), new Item("rice")))))
                .isInstanceOf(SerializationException.class)
                .hasMessage("class [" + Item.class.getName() + "] is not registered for serialization");
    }
}
