package io.procactor.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import io.procactor.MessageSerializationException;
import io.procactor.internal.wire.Protocol;
import io.procactor.transport.FrameTooLargeException;
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

    /** How many characters a frame holds in {@link #send}: its results' strings and failures, counted by length. */
    private int frameChars = Integer.MAX_VALUE;

    private static List<Object> results(Object message) {
        return message instanceof Protocol.BatchPart p ? p.results() : ((Protocol.BatchResult) message).results();
    }

    private static int chars(Object result) {
        return result instanceof Protocol.Failure f
                ? f.className().length() + String.valueOf(f.message()).length() + String.valueOf(f.stackTrace()).length()
                : String.valueOf(result).length();
    }

    /**
     * Encodes like Kryo with {@code Bad} unregistered: names the first one it meets, top level or
     * inside; and refuses a frame over {@link #frameChars}.
     */
    private void send(Object message) {
        if (results(message).stream().mapToInt(UnencodableResultsTest::chars).sum() > frameChars) {
            throw new FrameTooLargeException("message of type [" + message.getClass().getName() + "] needs more than "
                    + "max-frame-size [" + frameChars + " bytes]", message.getClass().getName(), null);
        }
        for (Object o : results(message)) {
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
    void resultsTooLargeForOneFrameGoInOrderedPartsWithTheResultLast() {
        frameChars = 350;
        List<Object> replies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            replies.add(String.valueOf((char) ('a' + i)).repeat(100)); // 100 each: three fit in a frame
        }
        UnencodableResults.send(new Protocol.BatchResult(7, new ArrayList<>(replies), 100, 2), null, this::send);

        assertThat(sent.size()).isGreaterThan(1);
        assertThat(sent.subList(0, sent.size() - 1)).allSatisfy(m -> assertThat(m).isInstanceOfSatisfying(Protocol.BatchPart.class,
                p -> assertThat(p.id()).isEqualTo(7)));
        assertThat(sent.get(sent.size() - 1)).isInstanceOfSatisfying(Protocol.BatchResult.class, r -> {
            assertThat(r.id()).isEqualTo(7);
            assertThat(r.queueDepth()).isEqualTo(2);
        });
        assertThat(sent.stream().flatMap(m -> results(m).stream()).toList()).as("every reply, once, in order").isEqualTo(replies);
    }

    @Test
    void aReplyTooLargeByItselfFailsAloneAndNamesItsTask() {
        frameChars = 350;
        UnencodableResults.send(new Protocol.BatchResult(7, new ArrayList<>(List.of("ok", "x".repeat(1000), "fine")), 100, 2),
                null, this::send);

        List<Object> all = sent.stream().flatMap(m -> results(m).stream()).toList();
        assertThat(all).hasSize(3);
        assertThat(all.get(0)).isEqualTo("ok");
        assertThat(all.get(2)).isEqualTo("fine");
        assertThat(all.get(1)).isInstanceOfSatisfying(Protocol.Failure.class, f -> {
            assertThat(f.className()).isEqualTo(MessageSerializationException.class.getName());
            assertThat(f.message()).contains("reply of type [java.lang.String] to task 1 of its batch is too large")
                    .contains("max-frame-size");
        });
    }

    @Test
    void failuresTooLargeForAFrameLoseTheirStackTracesThenMostOfTheirMessageButAllGoBack() {
        frameChars = 350;
        Protocol.Failure traced = new Protocol.Failure("java.lang.IllegalStateException", "bad input", "at x.y(Z.java:1)\n".repeat(40), "");
        Protocol.Failure wordy = new Protocol.Failure("java.lang.IllegalStateException", "why ".repeat(200), "", "");
        UnencodableResults.send(new Protocol.BatchResult(7, new ArrayList<>(List.of(traced, traced, wordy)), 100, 2), null, this::send);

        List<Object> all = sent.stream().flatMap(m -> results(m).stream()).toList();
        assertThat(all).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOf(Protocol.Failure.class));
        assertThat(((Protocol.Failure) all.get(0)).message()).isEqualTo("bad input");
        assertThat(((Protocol.Failure) all.get(0)).stackTrace()).isEmpty();
        assertThat(((Protocol.Failure) all.get(2)).message()).startsWith("why why").endsWith("(cut: over max-frame-size)");

        sent.clear();
        Protocol.Failure noMessage = new Protocol.Failure("java.lang.NullPointerException", null, "at x.y(Z.java:1)\n".repeat(40), "");
        UnencodableResults.send(new Protocol.BatchResult(8, new ArrayList<>(List.of(noMessage, noMessage)), 100, 2), null, this::send);
        assertThat(sent.stream().flatMap(m -> results(m).stream()).toList()).as("a Throwable's message may be null")
                .hasSize(2).allSatisfy(o -> assertThat(((Protocol.Failure) o).stackTrace()).isEmpty());
    }

    @Test
    void anEncodableResultIsSentAsItIs() {
        Protocol.BatchResult r = sendOne(1, 2);
        assertThat(r.results()).containsExactly(1, 2);
    }
}
