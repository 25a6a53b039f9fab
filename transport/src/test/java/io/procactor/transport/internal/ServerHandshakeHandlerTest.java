package io.procactor.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.procactor.transport.Admission;
import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Gatekeeper;
import io.procactor.transport.Hello;
import io.procactor.transport.Inbound;
import io.procactor.transport.RawPeer;
import io.procactor.transport.RawPeer.Frame;
import io.procactor.transport.Registrations;
import io.procactor.transport.TransportKind;
import io.procactor.transport.TransportSettings;
import io.procactor.transport.WireCodec;
import io.procactor.transport.WireReader;
import io.procactor.transport.WireWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server side of the handshake on an embedded channel: who is admitted, and what a refused peer gets. */
class ServerHandshakeHandlerTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    /** A registered type whose decoding is counted: proof that a refused peer's message was never decoded. */
    record Spy(String text) {
    }

    private final AtomicInteger spyReads = new AtomicInteger();
    private final Credentials credentials = Credentials.random();
    private final TransportContext context = new TransportContext("server", 1, Registrations.builder()
            .register(Spy.class, 1000, new WireCodec<Spy>() {
                @Override
                public void write(WireWriter out, Spy value) {
                    out.writeString(value.text());
                }

                @Override
                public Spy read(WireReader in) {
                    spyReads.incrementAndGet();
                    return new Spy(in.readString());
                }
            }).build(),
            new TransportSettings(TransportKind.NIO_UNIX, 64 * 1024, HANDSHAKE_TIMEOUT, 1), getClass().getClassLoader());
    private final List<ByteBuf> written = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final List<Object> delivered = new ArrayList<>();
    private final AtomicInteger acceptorCalls = new AtomicInteger();

    @AfterEach
    void releaseEverything() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).as("input released").isZero());
    }

    private EmbeddedChannel server(ServerGuard guard) {
        EmbeddedChannel ch = new EmbeddedChannel(Pipelines.server(context, guard, c -> {
        }));
        channels.add(ch);
        return ch;
    }

    private Admission serve() {
        return Admission.accept(c -> {
            acceptorCalls.incrementAndGet();
            c.send(new Spy("sent by the acceptor"));
            return new Inbound() {
                @Override
                public void onMessage(Connection connection, Object message) {
                    delivered.add(message);
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                }
            };
        });
    }

    @Test
    void aRefusedPeerGetsRefuseNeverWelcomeAndWhatItSentAlongIsNeverDecoded() {
        AtomicReference<Hello> seen = new AtomicReference<>();
        EmbeddedChannel ch = server(new ServerGuard(hello -> {
            seen.set(hello);
            return hello.proves(credentials) ? Admission.refuse("not a child this node is starting") : serve();
        }, 8));
        // HELLO and a message in one write, as a hostile peer would send them.
        ch.writeInbound(in(concat(hello("worker-1", 4242, credentials.token()), message(new Spy("smuggled")))));
        ch.runPendingTasks();

        assertThat(seen.get().peer().name()).isEqualTo("worker-1");
        assertThat(seen.get().peer().pid()).isEqualTo(4242);
        assertThat(seen.get().peer().kernel().isKnown()).as("an embedded channel has no kernel peer").isFalse();
        assertThat(outboundFrames(ch)).singleElement().satisfies(f -> {
            assertThat(f.kind()).as("REFUSE").isEqualTo(Frames.REFUSE);
            assertThat(f.bodyAsHandshakeString()).isEqualTo("not a child this node is starting");
        });
        assertThat(spyReads).as("messages decoded").hasValue(0);
        assertThat(acceptorCalls).hasValue(0);
        assertThat(delivered).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anAdmittedPeerGetsWelcomeFirstThenWhatTheAcceptorSentAndItsMessagesAreDelivered() {
        EmbeddedChannel ch = server(new ServerGuard(hello -> hello.proves(credentials) ? serve() : Admission.refuse("no"), 8));
        ch.writeInbound(in(concat(hello("worker-1", 4242, credentials.token()), message(new Spy("first")))));
        ch.runPendingTasks();

        List<Frame> out = outboundFrames(ch);
        assertThat(out).extracting(Frame::kind).containsExactly((int) Frames.WELCOME, (int) Frames.MESSAGE);
        assertThat(acceptorCalls).hasValue(1);
        assertThat(delivered).containsExactly(new Spy("first"));
        assertThat(ch.pipeline().get(ServerHandshakeHandler.class)).as("replaced by the message stage").isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aGatekeeperThatAdmitsWithoutCheckingTheTokenIsOverruled() {
        EmbeddedChannel ch = server(new ServerGuard(hello -> serve(), 8));
        ch.writeInbound(in(hello("worker-1", 4242, new byte[] {1, 2, 3})));
        assertThat(outboundFrames(ch)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Frames.REFUSE);
            assertThat(f.bodyAsHandshakeString()).isEqualTo("wrong token");
        });
        assertThat(acceptorCalls).hasValue(0);
    }

    @Test
    void aGatekeeperThatThrowsRefusesWithoutSayingWhy() {
        EmbeddedChannel ch = server(new ServerGuard(hello -> {
            throw new IllegalStateException("secret detail");
        }, 8));
        ch.writeInbound(in(hello("worker-1", 4242, credentials.token())));
        assertThat(outboundFrames(ch)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Frames.REFUSE);
            assertThat(f.bodyAsHandshakeString()).isEqualTo("internal error");
        });
    }

    @Test
    void eachPeerCanProveItsOwnOneTimeSecret() {
        Credentials a = Credentials.random();
        java.util.Map<String, Credentials> expected = new java.util.concurrent.ConcurrentHashMap<>(java.util.Map.of("a", a));
        Gatekeeper oneTime = hello -> {
            Credentials secret = expected.get(hello.peer().name());
            return secret != null && hello.proves(secret) && expected.remove(hello.peer().name(), secret)
                    ? serve() : Admission.refuse("unknown peer or used secret");
        };
        ServerGuard guard = new ServerGuard(oneTime, 8);
        EmbeddedChannel first = server(guard);
        first.writeInbound(in(hello("a", 1, a.token())));
        assertThat(outboundFrames(first)).first().extracting(Frame::kind).isEqualTo((int) Frames.WELCOME);

        EmbeddedChannel replay = server(guard);
        replay.writeInbound(in(hello("a", 1, a.token())));
        assertThat(outboundFrames(replay)).singleElement().extracting(Frame::kind).isEqualTo((int) Frames.REFUSE);
    }

    // --- limits before the handshake ------------------------------------------------------------------

    @Test
    void overThePendingCapANewConnectionIsClosedAtOnceUnanswered() {
        ServerGuard guard = new ServerGuard(hello -> hello.proves(credentials) ? serve() : Admission.refuse("no"), 2);
        EmbeddedChannel one = server(guard);
        EmbeddedChannel two = server(guard);
        assertThat(guard.pendingHandshakes()).isEqualTo(2);

        EmbeddedChannel three = server(guard);
        assertThat(three.isOpen()).isFalse();
        assertThat(three.<Object>readOutbound()).as("not even a REFUSE").isNull();
        assertThat(guard.refusedConnections()).isEqualTo(1);
        assertThat(guard.pendingHandshakes()).isEqualTo(2);

        // A completed handshake and a closed connection each give their slot back.
        one.writeInbound(in(hello("one", 1, credentials.token())));
        assertThat(outboundFrames(one)).first().extracting(Frame::kind).isEqualTo((int) Frames.WELCOME);
        two.close();
        assertThat(guard.pendingHandshakes()).isZero();
        EmbeddedChannel four = server(guard);
        assertThat(four.isOpen()).isTrue();
        assertThat(guard.pendingHandshakes()).isEqualTo(1);
    }

    @Test
    void aPeerSilentPastTheDeadlineCountedFromAcceptIsRefusedAndFreesItsSlot() {
        ServerGuard guard = new ServerGuard(hello -> serve(), 8);
        EmbeddedChannel ch = server(guard);
        ch.writeInbound(in(new byte[] {0, 0})); // half a length field, then nothing
        ch.advanceTimeBy(HANDSHAKE_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();

        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(outboundFrames(ch)).singleElement().satisfies(f ->
                assertThat(f.bodyAsHandshakeString()).isEqualTo("no HELLO within 5000 ms"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(guard.pendingHandshakes()).isZero();
        assertThat(guard.refusedConnections()).isEqualTo(1);
    }

    @Test
    void aHelloLargerThanTheHelloLimitIsRefusedOnItsLengthFieldWithoutBeingBuffered() {
        ServerGuard guard = new ServerGuard(hello -> serve(), 8);
        EmbeddedChannel ch = server(guard);
        // Declares an 8 MiB frame; the body never needs to arrive.
        ch.writeInbound(in(new byte[] {0, (byte) 0x80, 0, 0, 1, 1}));
        assertThat(outboundFrames(ch)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Frames.REFUSE);
            assertThat(f.bodyAsHandshakeString()).contains("frame of [8388608] bytes before the handshake completed")
                    .contains("at most [" + Frames.MAX_HELLO_FRAME + "]");
        });
        assertThat(ch.isOpen()).isFalse();
        assertThat(guard.pendingHandshakes()).isZero();
    }

    @Test
    void aHelloAtTheHelloLimitIsRead() {
        EmbeddedChannel ch = server(new ServerGuard(hello -> hello.proves(credentials) ? serve() : Admission.refuse("no"), 8));
        // protocol 4 + pid 8 + name (2 + n) + token (2 + 32) = MAX_HELLO_FRAME - 2 (version and kind)
        String name = "n".repeat(Frames.MAX_HELLO_FRAME - 2 - 4 - 8 - 2 - 2 - credentials.token().length);
        byte[] hello = hello(name, 7, credentials.token());
        assertThat(hello.length).isEqualTo(Frames.LENGTH_BYTES + Frames.MAX_HELLO_FRAME);
        ch.writeInbound(in(hello));
        assertThat(outboundFrames(ch)).first().extracting(Frame::kind).isEqualTo((int) Frames.WELCOME);
    }

    // ---------------------------------------------------------------------------------------------

    private ByteBuf in(byte[] bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length).writeBytes(bytes);
        written.add(b);
        return b;
    }

    static byte[] hello(String name, long pid, byte[] token) {
        ByteBuf b = Handshake.hello(UnpooledByteBufAllocator.DEFAULT, name, pid, token);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private byte[] message(Object m) {
        ByteBuf b = context.codec().encodeFrame(UnpooledByteBufAllocator.DEFAULT, m);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<Frame> outboundFrames(EmbeddedChannel ch) {
        ch.runPendingTasks();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            try {
                all.writeBytes(ByteBufUtil.getBytes(b));
            } finally {
                b.release();
            }
        }
        return RawPeer.parseFrames(all.toByteArray());
    }
}
