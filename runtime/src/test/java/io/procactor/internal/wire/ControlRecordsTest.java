package io.procactor.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.procactor.ExitStatus;
import io.procactor.internal.core.AskRef;
import io.procactor.internal.core.RefCodec;
import io.procactor.internal.core.RefImpl;
import io.procactor.transport.Registrations;
import io.procactor.transport.SerializationException;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;
import io.procactor.transport.internal.KryoCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The records of a process's start and end travel through hand-written codecs (see
 * {@link WireCodecs}): each comes back equal, nulls where a process may send them included, and a
 * forged list count fails the one message without allocating what it claims.
 */
@Tag("fast")
class ControlRecordsTest {
    private static final RefCodec REFS = new RefCodec();

    private static Registrations.Builder table() {
        return Protocol.register(Registrations.builder(), RefImpl.class, REFS, AskRef.class, REFS.asks);
    }

    private static final KryoCodec CODEC = new KryoCodec(table().build(), 64 * 1024);

    private static Object roundTrip(KryoCodec sender, Object message) {
        ByteBuf frame = sender.encodeFrame(UnpooledByteBufAllocator.DEFAULT, message);
        try {
            return CODEC.decode(frame.skipBytes(6));
        } finally {
            frame.release();
        }
    }

    @Test
    void everyControlRecordComesBackEqual() {
        Protocol.Failure failure = new Protocol.Failure("java.lang.IllegalStateException", "boom", "trace", "procactor://demo/w/a");
        List<Object> messages = List.of(
                new Protocol.ChildReady("unix:/tmp/p.sock"),
                new Protocol.ActorStarted("worker-1"),
                new Protocol.Adopt("worker-2"),
                new Protocol.Resolve("worker-3"),
                new Protocol.Terminate("terminate() called"),
                new Protocol.SpawnActor("worker-1", "com.example.Counter", new ArrayList<>(Arrays.asList(1, "two", null, 4L))),
                new Protocol.SpawnActor("worker-1", "com.example.Counter", new ArrayList<>()),
                new Protocol.PeerUp("worker-1", "tcp:127.0.0.1:4000"),
                new Protocol.Undeliverable("procactor://demo/w/a", "no such actor"),
                new Protocol.Exiting(3, "EXCEPTION", "java.lang.Error: x"),
                failure,
                new Protocol.StartFailed(failure),
                new Protocol.ActorStopped("a", failure),
                new Protocol.ActorStopped("a", null),
                Protocol.ProcessDown.of("worker-1", new ExitStatus(137, 9, ExitStatus.Reason.KILLED, "killed", List.of("l1", "l2")),
                        true));
        for (Object m : messages) {
            assertThat(roundTrip(CODEC, m)).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void aNullLineInAProcessDownsStderrTailFailsTheMessage() {
        Protocol.ProcessDown forged = new Protocol.ProcessDown("w", 1, 0, "EXCEPTION", "d", Arrays.asList("a", null), false);
        assertThatThrownBy(() -> roundTrip(CODEC, forged))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a list of strings holding a [null]");
    }

    @Test
    void nullStringsComeBackNull() {
        Protocol.Failure failure = new Protocol.Failure(null, null, null, null);
        assertThat(roundTrip(CODEC, failure)).isEqualTo(failure);
        assertThat(roundTrip(CODEC, new Protocol.Exiting(0, "NORMAL", null))).isEqualTo(new Protocol.Exiting(0, "NORMAL", null));
        assertThat(roundTrip(CODEC, new Protocol.StartFailed(null))).isEqualTo(new Protocol.StartFailed(null));
    }

    /** What a broken or hostile peer sends as a pool batch: a list that claims {@code count} items and holds two. */
    record Forged(long id, int count) {
    }

    @Test
    void aForgedListCountFailsTheMessageWithoutAllocatingWhatItClaims() {
        WireCodec<Forged> forger = new WireCodec<>() {
            @Override
            public void write(WireWriter out, Forged f) {
                out.writeLong(f.id());
                out.writeInt(1); // the layout of a list of Integers
                out.writeInt(f.count());
                out.writeInt(1);
                out.writeInt(2);
            }

            @Override
            public Forged read(WireReader in) {
                throw new UnsupportedOperationException();
            }
        };
        // the forger's table: Batch's id (111) taken by the forged record
        Registrations forged = Registrations.builder().register(Forged.class, 111, forger).build();
        KryoCodec sender = new KryoCodec(forged, 64 * 1024);

        assertThatThrownBy(() -> roundTrip(sender, new Forged(7, Integer.MAX_VALUE)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode a message");
        assertThatThrownBy(() -> roundTrip(sender, new Forged(7, -1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a list of [-1] items");
        // the codec still reads the next message
        assertThat(roundTrip(CODEC, new Protocol.ActorStarted("w"))).isEqualTo(new Protocol.ActorStarted("w"));
    }
}
