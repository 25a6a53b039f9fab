package io.procactor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.procactor.transport.RawPeer.Frame;
import io.procactor.transport.internal.Frames;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handshake over real NIO Unix domain sockets: who gets in, who is refused, and how fast. */
class HandshakeTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(300);
    private static final Duration WAIT = TestTimeouts.seconds(5);
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path dir;

    private final Credentials credentials = Credentials.random();
    private final AtomicInteger accepted = new AtomicInteger();
    private final RecordingInbound serverInbound = new RecordingInbound();
    private Transport serverTransport;
    private Transport clientTransport;
    private Server server;

    @BeforeEach
    void setUp() {
        TransportSettings settings = new TransportSettings(TransportKind.NIO_UNIX, 64 * 1024, HANDSHAKE_TIMEOUT, 1);
        serverTransport = Transport.create(settings, "hs-server-" + NAMES.incrementAndGet(), TestMessages.withSeq());
        // The client waits longer than the server, so the server's timeout is the one under test.
        clientTransport = Transport.create(new TransportSettings(TransportKind.NIO_UNIX, 64 * 1024, WAIT, 1),
                "hs-client-" + NAMES.incrementAndGet(), TestMessages.withSeq());
        server = serverTransport.bind(Endpoint.unix(dir.resolve("hs.sock")), credentials, c -> {
            accepted.incrementAndGet();
            return serverInbound;
        });
    }

    @AfterEach
    void tearDown() {
        clientTransport.close();
        server.close();
        serverTransport.close();
    }

    @Test
    void wrongTokenIsRefusedAndNeverReachesTheAcceptor() {
        CompletableFuture<Connection> f = clientTransport.connect(server.endpoint(), Credentials.random(), new RecordingInbound());

        assertThat(f).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(HandshakeException.class)
                .withMessageContaining("refused")
                .withMessageContaining("wrong token");
        assertThat(accepted).hasValue(0);
        assertGoodClientStillGetsIn();
    }

    @Test
    void garbageBeforeHelloIsRefusedAndClosed() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            raw.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertRefusedThenClosed(raw, "bad frame");
        }
        assertThat(accepted).hasValue(0);
        assertGoodClientStillGetsIn();
    }

    @Test
    void wrongFrameVersionBeforeHelloIsRefusedAndClosed() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            raw.writeFrame(2 + 3, 7, 1, new byte[] {1, 2, 3});
            assertRefusedThenClosed(raw, "version [7]");
        }
        assertThat(accepted).hasValue(0);
        assertGoodClientStillGetsIn();
    }

    @Test
    void messageFrameBeforeHelloIsRefusedAndClosed() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            raw.writeFrame(4, new byte[] {3, 'h', (byte) 0xE9});
            assertRefusedThenClosed(raw, "expected HELLO, got MESSAGE");
        }
        assertThat(accepted).hasValue(0);
        assertGoodClientStillGetsIn();
    }

    @Test
    void unknownKindBeforeHelloIsRefusedAndClosed() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            raw.writeFrame(99, new byte[0]);
            assertRefusedThenClosed(raw, "unknown kind 99");
        }
        assertThat(accepted).hasValue(0);
    }

    @Test
    void truncatedHelloIsRefusedAndClosed() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            raw.writeFrame(1, new byte[] {0, 0, 0, 1, 0, 0}); // protocol 1, then half a pid
            assertRefusedThenClosed(raw, "malformed HELLO");
        }
        assertThat(accepted).hasValue(0);
    }

    @Test
    void helloWithAnotherProtocolVersionIsRefused() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            byte[] token = credentials.token();
            byte[] name = "future".getBytes(StandardCharsets.UTF_8);
            ByteBuffer body = ByteBuffer.allocate(4 + 8 + 2 + name.length + 2 + token.length);
            body.putInt(Frames.PROTOCOL_VERSION + 1).putLong(1).putShort((short) name.length).put(name)
                    .putShort((short) token.length).put(token);
            raw.writeFrame(1, body.array());
            assertRefusedThenClosed(raw, "protocol version [" + (Frames.PROTOCOL_VERSION + 1) + "]");
        }
        assertThat(accepted).hasValue(0);
    }

    @Test
    void clientThatNeverSendsHelloIsClosedAfterTheHandshakeTimeout() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            long start = System.nanoTime();
            CompletableFuture<byte[]> closed = raw.closedAsync();
            AtomicReference<Long> closedAfterMillis = new AtomicReference<>();
            closed.thenRun(() -> closedAfterMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));

            await().atMost(WAIT).until(closed::isDone);

            assertThat(closedAfterMillis.get()).as("not closed before the timeout")
                    .isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.toMillis() - 50);
            List<Frame> frames = RawPeer.parseFrames(closed.join());
            assertThat(frames).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(3);
                assertThat(f.bodyAsHandshakeString()).contains("no HELLO within 300 ms");
            });
        }
        assertThat(accepted).hasValue(0);
        assertGoodClientStillGetsIn();
    }

    @Test
    void rawClientWithTheRightTokenGetsWelcomeWithTheRegistrationTable() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            raw.hello("raw", credentials);
            Frame welcome = raw.readFrame(WAIT);
            assertThat(welcome).isNotNull();
            assertThat(welcome.version()).isEqualTo(1);
            assertThat(welcome.kind()).isEqualTo(2);
            String body = new String(welcome.body(), StandardCharsets.UTF_8);
            assertThat(body).contains(serverTransport.registrations().table().get(0).className())
                    .contains(TestMessages.Seq.class.getName());
        }
        await().atMost(WAIT).until(() -> accepted.get() == 1);
        assertThat(serverInbound.closed).succeedsWithin(WAIT).isNull();
    }

    @Test
    void serverThatNeverAnswersFailsTheConnectAfterTheHandshakeTimeout() throws Exception {
        Transport impatient = Transport.create(new TransportSettings(TransportKind.NIO_UNIX, 64 * 1024, HANDSHAKE_TIMEOUT, 1),
                "hs-impatient-" + NAMES.incrementAndGet(), TestMessages.withSeq());
        Path path = dir.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(path));
            CompletableFuture<Connection> f = impatient.connect(Endpoint.unix(path), credentials, new RecordingInbound());
            SocketChannel accepted = silent.accept(); // and then never a word
            try {
                assertThat(f).failsWithin(WAIT)
                        .withThrowableOfType(ExecutionException.class)
                        .havingCause()
                        .isInstanceOf(HandshakeException.class)
                        .withMessageContaining("no WELCOME");
            } finally {
                accepted.close();
            }
        } finally {
            impatient.close();
        }
    }

    @Test
    void connectToNothingFailsWithHandshakeException() {
        CompletableFuture<Connection> f = clientTransport.connect(Endpoint.unix(dir.resolve("nobody.sock")), credentials,
                new RecordingInbound());
        assertThat(f).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(HandshakeException.class)
                .withMessageContaining("cannot connect");
    }

    // --- limits for strangers ---------------------------------------------------------------------

    @Test
    void aHelloDeclaringMoreThanTheHelloLimitIsRefusedWithoutWaitingForItsBody() throws IOException {
        try (RawPeer raw = RawPeer.connect(server.endpoint())) {
            raw.writeFrame(64 * 1024, 1, 1, new byte[0]); // declares a 64 KiB HELLO (the frame limit), sends 6 bytes
            assertRefusedThenClosed(raw, "frame of [65536] bytes before the handshake completed");
        }
        await().atMost(WAIT).until(() -> server.pendingHandshakes() == 0);
        assertThat(accepted).hasValue(0);
        assertGoodClientStillGetsIn();
    }

    @Test
    void pendingHandshakesAreCappedAndFreedWhenThoseConnectionsGo() throws IOException {
        TransportSettings capped = new TransportSettings(TransportKind.NIO_UNIX, 64 * 1024, WAIT, 1).withMaxPendingHandshakes(3);
        try (Transport t = Transport.create(capped, "hs-capped-" + NAMES.incrementAndGet(), TestMessages.withSeq());
             Server s = t.bind(Endpoint.unix(dir.resolve("capped.sock")), credentials, c -> serverInbound)) {
            List<RawPeer> silent = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    silent.add(RawPeer.connect(s.endpoint())); // connect and say nothing
                }
                await().atMost(WAIT).until(() -> s.pendingHandshakes() == 3);

                try (RawPeer fourth = RawPeer.connect(s.endpoint())) {
                    assertThat(fourth.readUntilClosed(WAIT)).as("closed unanswered").isEmpty();
                }
                assertThat(s.refusedConnections()).isEqualTo(1);
                assertThat(clientTransport.connect(s.endpoint(), credentials, new RecordingInbound()))
                        .as("while strangers hold every slot").failsWithin(WAIT);
            } finally {
                silent.forEach(RawPeer::close);
            }
            await().atMost(WAIT).until(() -> s.pendingHandshakes() == 0);
            Connection c = assertThat(clientTransport.connect(s.endpoint(), credentials, new RecordingInbound()))
                    .succeedsWithin(WAIT).actual();
            c.close();
        }
    }

    @Test
    void refusalsAreCountedAndLoggedAFewTimesAMinuteWithThePeersNameEscapedAndCut() throws IOException {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "io.procactor.transport.internal.ServerHandshakeHandler");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            String forged = "worker\n12:00:00.000 ERROR [main] Node - every child lost\n" + "x".repeat(3000);
            for (int i = 0; i < 20; i++) {
                try (RawPeer raw = RawPeer.connect(server.endpoint())) {
                    raw.hello(forged, Credentials.random()); // wrong token
                    assertRefusedThenClosed(raw, "wrong token");
                }
            }
            await().atMost(WAIT).until(() -> server.refusedConnections() == 20);
            assertThat(lines.list).hasSize(5).allSatisfy(e -> {
                assertThat(e.getFormattedMessage()).doesNotContain("\n").contains("worker\\u000a12:00:00.000 ERROR")
                        .contains("more chars)");
                assertThat(e.getFormattedMessage().length()).isLessThan(600);
            });
        } finally {
            logger.detachAppender(lines);
        }
        assertThat(accepted).hasValue(0);
    }

    // ---------------------------------------------------------------------------------------------

    private static void assertRefusedThenClosed(RawPeer raw, String reason) {
        List<Frame> frames = RawPeer.parseFrames(raw.readUntilClosed(WAIT));
        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.version()).isEqualTo(1);
            assertThat(f.kind()).as("REFUSE").isEqualTo(3);
            assertThat(f.bodyAsHandshakeString()).contains(reason);
        });
    }

    private void assertGoodClientStillGetsIn() {
        int before = accepted.get();
        RecordingInbound clientInbound = new RecordingInbound();
        Connection c = assertThat(clientTransport.connect(server.endpoint(), credentials, clientInbound))
                .succeedsWithin(WAIT).actual();
        assertThat(c.send(new TestMessages.Seq(1, 1))).isTrue();
        assertThat(serverInbound.next()).isEqualTo(new TestMessages.Seq(1, 1));
        assertThat(accepted).hasValue(before + 1);
        c.close();
        assertThat(c.closeFuture()).succeedsWithin(WAIT);
    }
}
