package io.procactor.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.MessageSerializationException;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.SerializationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch result with replies that cannot be encoded still goes back, with those replies as failures. */
class UnencodableResultsTest {
    record Bad(int n) {
    }

    record Wrapper(Object inside) {
    }

    private final List<Object> sent = new ArrayList<>();

    /** Encodes like Kryo with {@code Bad} unregistered: names the first one it meets, top level or inside. */
    private void send(Object message) {
        Protocol.BatchResult r = (Protocol.BatchResult) message;
        for (Object o : r.results()) {
            if (o instanceof Bad || o instanceof Wrapper w && w.inside() instanceof Bad) {
                throw new SerializationException("class [" + Bad.class.getName() + "] is not registered for serialization",
                        Bad.class.getName(), null);
            }
        }
        sent.add(message);
    }

    private Protocol.BatchResult sendOne(Object... results) {
        UnencodableResults.send(new Protocol.BatchResult(7, new ArrayList<>(List.of(results)), 100, 2), null, this::send);
        assertThat(sent).hasSize(1);
        return (Protocol.BatchResult) sent.get(0);
    }

    @Test
    void onlyTheRepliesOfTheUnregisteredClassBecomeFailuresThatSayHowToRegisterIt() {
        Protocol.BatchResult r = sendOne(1, new Bad(2), 3, new Bad(4));
        assertThat(r.id()).isEqualTo(7);
        assertThat(r.queueDepth()).isEqualTo(2);
        assertThat(r.results().get(0)).isEqualTo(1);
        assertThat(r.results().get(2)).isEqualTo(3);
        assertThat(r.results().get(1)).isInstanceOfSatisfying(Protocol.Failure.class, f -> {
            assertThat(f.className()).isEqualTo(MessageSerializationException.class.getName());
            assertThat(f.message()).contains("reply of type [" + Bad.class.getName() + "] to task 1")
                    .contains("register(Bad.class)").contains("procactor.serialization.classes");
        });
        assertThat(r.results().get(3)).isInstanceOf(Protocol.Failure.class);
    }

    @Test
    void whenTheClassIsInsideAReplyEveryReplyFailsWithThatCause() {
        Protocol.BatchResult r = sendOne(1, new Wrapper(new Bad(2)));
        assertThat(r.results()).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Protocol.Failure.class,
                f -> assertThat(f.message()).contains(Bad.class.getName())));
    }

    @Test
    void anEncodableResultIsSentAsItIs() {
        Protocol.BatchResult r = sendOne(1, 2);
        assertThat(r.results()).containsExactly(1, 2);
    }
}
