package io.procactor.transport;

import java.util.List;

/** Registered message types shared by the transport tests (application ids 1000 and up). */
public final class TestMessages {
    /** A small message that says who sent it and in which order. */
    public record Seq(int sender, int seq) {
    }

    /** A user record that only the server registers; the client adopts it in the handshake. */
    public record UserRecord(String name, List<Integer> values) {
    }

    public static final int SEQ_ID = 1000;
    public static final int USER_RECORD_ID = 1001;

    private TestMessages() {
    }

    /** The JDK defaults plus {@link Seq}. */
    public static Registrations withSeq() {
        return Registrations.builder().register(Seq.class, SEQ_ID).build();
    }
}
