package io.procactor.internal.core;

import static io.procactor.internal.core.GoldenFrames.assertGolden;

import io.procactor.internal.wire.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of the records a process's start, end and pool work put on the wire (their codecs
 * are hand-written in {@code WireCodecs}). A change here is a wire-format change: bump
 * {@code Frames.PROTOCOL_VERSION}, so that peers of two builds are refused at the handshake instead
 * of misreading each other, update the fixture by hand and say what changed. (Protocol version 3
 * came from such a change found only by a review: {@code Exiting}'s detail and reason had swapped
 * places, and an old peer decoded them swapped, silently.)
 *
 * <p>How to read a fixture: see {@link RefCodecGoldenTest}. Besides: a class id of 126 or more
 * takes two varint bytes (StartFailed 126 = {@code 80 01}); a one-character string is a flagged
 * length and the character ({@code 82 77} = "w"); an int is a zig-zag varint (3 = {@code 06}); a
 * boolean one byte. A list is its layout (0 mixed, 1 ints, 2 longs, 3 strings, as zig-zag ints:
 * {@code 00}, {@code 02}, {@code 04}, {@code 06}), its size, and its items: a mixed list's with
 * their class ids (Integer 02, String 03), the others' bare.
 */
class ControlRecordsGoldenTest {
    private static final Protocol.Failure FAILURE = new Protocol.Failure("E", "m", "t", "p");
    /** Failure 68 | its components by name: actorPath "p", className "E", message "m", stackTrace "t". */
    private static final String FAILURE_BYTES = "68" + "8270" + "8245" + "826d" + "8274";

    @Test
    void spawnActor() {
        // 6a | name "w" | className "app.Counter" | args: mixed, 2 items, Integer 1, String "x"
        assertGolden(new Protocol.SpawnActor("w", "app.Counter", new ArrayList<>(List.of(1, "x"))),
                "00000017" + "0104" + "6a" + "8277" + "6170702e436f756e7465f2" + "00" + "04" + "0202" + "038278");
    }

    @Test
    void childReady() {
        // 6b | endpoint "unix:/tmp/c1.sock"
        assertGolden(new Protocol.ChildReady("unix:/tmp/c1.sock"),
                "00000014" + "0104" + "6b" + "756e69783a2f746d702f63312e736f63eb");
    }

    @Test
    void actorStarted() {
        // 7e | name "w"
        assertGolden(new Protocol.ActorStarted("w"), "00000005" + "0104" + "7e" + "8277");
    }

    @Test
    void adopt() {
        // 81 01 | name "w"
        assertGolden(new Protocol.Adopt("w"), "00000006" + "0104" + "8101" + "8277");
    }

    @Test
    void resolve() {
        // 7b | process "w"
        assertGolden(new Protocol.Resolve("w"), "00000005" + "0104" + "7b" + "8277");
    }

    @Test
    void peerUp() {
        // 6d | endpoint "unix:/tmp/c1.sock" | process "w"
        assertGolden(new Protocol.PeerUp("w", "unix:/tmp/c1.sock"),
                "00000016" + "0104" + "6d" + "756e69783a2f746d702f63312e736f63eb" + "8277");
    }

    @Test
    void terminate() {
        // 6f | reason "bye"
        assertGolden(new Protocol.Terminate("bye"), "00000006" + "0104" + "6f" + "6279e5");
    }

    @Test
    void exiting() {
        // 70 | code 3 | detail "boom" | reason "FAILED"
        assertGolden(new Protocol.Exiting(3, "FAILED", "boom"),
                "0000000e" + "0104" + "70" + "06" + "626f6fed" + "4641494c45c4");
    }

    @Test
    void processDown() {
        // 6e | process "w" | code 1 | signal 9 | reason "KILLED" | detail "killed" | stderr tail: strings, 2, "a", "b" | restarting
        assertGolden(new Protocol.ProcessDown("w", 1, 9, "KILLED", "killed", new ArrayList<>(List.of("a", "b")), true),
                "0000001a" + "0104" + "6e" + "8277" + "02" + "12" + "4b494c4c45c4" + "6b696c6c65e4" + "06" + "04" + "8261" + "8262"
                        + "01");
    }

    @Test
    void actorStopped() {
        // 6c | name "w" | failure: none (00), or a Failure
        assertGolden(new Protocol.ActorStopped("w", null), "00000006" + "0104" + "6c" + "8277" + "00");
        assertGolden(new Protocol.ActorStopped("w", FAILURE), "0000000e" + "0104" + "6c" + "8277" + FAILURE_BYTES);
    }

    @Test
    void startFailed() {
        // 80 01 | a Failure
        assertGolden(new Protocol.StartFailed(FAILURE), "0000000d" + "0104" + "8001" + FAILURE_BYTES);
    }

    @Test
    void undeliverable() {
        // 69 | reason "gone" | targetPath "procactor://demo/w/a"
        assertGolden(new Protocol.Undeliverable("procactor://demo/w/a", "gone"),
                "0000001b" + "0104" + "69" + "676f6ee5" + "70726f636163746f723a2f2f64656d6f2f772fe1");
    }

    @Test
    void poolBatchAndItsResult() {
        // 71 | id 7 (a long: 0e) | items: ints, 2, 1, 2
        assertGolden(new Protocol.Batch(7, new ArrayList<>(List.of(1, 2))),
                "00000008" + "0104" + "71" + "0e" + "02" + "04" + "02" + "04");
        // 72 | id 7 | results: ints, 2, 2, 4 | serviceNanos 1000 (a long: d0 0f) | queueDepth 3
        assertGolden(new Protocol.BatchResult(7, new ArrayList<>(List.of(2, 4)), 1000, 3),
                "0000000b" + "0104" + "72" + "0e" + "02" + "04" + "04" + "08" + "d00f" + "06");
        // 73 | id 7 | results: ints, 2, 2, 4 (protocol version 4)
        assertGolden(new Protocol.BatchPart(7, new ArrayList<>(List.of(2, 4))),
                "00000008" + "0104" + "73" + "0e" + "02" + "04" + "04" + "08");
    }
}
