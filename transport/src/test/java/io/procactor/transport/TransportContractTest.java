package io.procactor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.TooLongFrameException;
import io.procactor.transport.RawPeer.Frame;
import io.procactor.transport.TestMessages.Seq;
import io.procactor.transport.TestMessages.UserRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link TransportKind} must do. Subclasses pick the kind; everything runs over real
 * sockets between two transports in this JVM.
 */
abstract class TransportContractTest {
    static final int MAX_FRAME = 1024 * 1024;
    static final Duration WAIT = TestTimeouts.seconds(10);
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path dir;

    final Credentials credentials = Credentials.random();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    abstract TransportKind kind();

    @AfterEach
    void closeEverything() throws Exception {
        while (!closeables.isEmpty()) {
            closeables.pop().close();
        }
    }

    // --- fixtures ---------------------------------------------------------------------------------

    TransportSettings settings() {
        return new TransportSettings(kind(), MAX_FRAME, WAIT, 2);
    }

    /** A fresh unique process name, so thread names of different transports never share a prefix. */
    static String uniqueName(String role) {
        return role + "-" + NAMES.incrementAndGet() + "x";
    }

    Transport transport(String name, Registrations registrations) {
        Transport t = Transport.create(settings(), name, registrations);
        closeables.push(t);
        return t;
    }

    /** A peer speaking raw frames to {@code endpoint} over this kind's sockets. */
    RawPeer rawPeer(Endpoint endpoint) throws IOException {
        return RawPeer.connect(endpoint);
    }

    Endpoint endpoint(String file) {
        return kind().isUnixDomain() ? Endpoint.unix(dir.resolve(file)) : Endpoint.loopback(0);
    }

    /** A server whose every connection reports to {@code inbound}; records accepted connections. */
    Server bind(Transport t, RecordingInbound inbound, List<Connection> accepted) {
        Server s = t.bind(endpoint("node.sock"), credentials, c -> {
            accepted.add(c);
            return inbound;
        });
        closeables.push(s);
        return s;
    }

    Connection connect(Transport t, Server server, Inbound inbound) {
        return assertThat(t.connect(server.endpoint(), credentials, inbound)).succeedsWithin(WAIT).actual();
    }

    /** A server transport, a client transport, one connection, and both sides' inbounds. */
    final class Pair {
        final String serverName = uniqueName("srv");
        final String clientName = uniqueName("cli");
        final Transport serverTransport;
        final Transport clientTransport;
        final RecordingInbound serverInbound = new RecordingInbound();
        final RecordingInbound clientInbound = new RecordingInbound();
        final List<Connection> accepted = Collections.synchronizedList(new ArrayList<>());
        final Server server;
        final Connection client;

        Pair() {
            this(TestMessages.withSeq(), TestMessages.withSeq());
        }

        Pair(Registrations serverRegistrations, Registrations clientRegistrations) {
            serverTransport = transport(serverName, serverRegistrations);
            clientTransport = transport(clientName, clientRegistrations);
            server = bind(serverTransport, serverInbound, accepted);
            client = connect(clientTransport, server, clientInbound);
        }

        Connection serverSide() {
            await().atMost(WAIT).until(() -> !accepted.isEmpty());
            return accepted.get(0);
        }
    }

    // --- the contract -------------------------------------------------------------------------------

    @Test
    void aClosedTransportFailsAConnectAtOnceAndRefusesToBind() {
        Transport server = transport(uniqueName("srv"), TestMessages.withSeq());
        Server s = bind(server, new RecordingInbound(), new ArrayList<>());
        Transport closed = transport(uniqueName("cli"), TestMessages.withSeq());
        closed.close();

        assertThat(closed.connect(s.endpoint(), credentials, new RecordingInbound()))
                .failsWithin(WAIT).withThrowableThat().withMessageContaining("closed");
        assertThatThrownBy(() -> closed.bind(endpoint("other.sock"), credentials, c -> new RecordingInbound()))
                .hasMessageContaining("closed");
    }

    @Test
    void kindIsTheOneAskedFor() {
        Transport t = transport(uniqueName("kind"), TestMessages.withSeq());
        assertThat(t.kind()).isEqualTo(kind());
    }

    @Test
    void connectAndSendBothWays() {
        Pair p = new Pair();
        assertThat(p.client.isOpen()).isTrue();
        assertThat(p.client.send("ping")).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo("ping");

        Connection serverSide = p.serverSide();
        assertThat(serverSide.send(List.of("pong", 2))).isTrue();
        assertThat(p.clientInbound.next()).isEqualTo(List.of("pong", 2));

        assertThat(p.client.send(new Seq(1, 2))).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo(new Seq(1, 2));
        assertThat(p.serverInbound.firstConnection).isCompletedWithValue(serverSide);
    }

    @Test
    void aPingIsAnsweredByThePeersTransportAndReachesNeitherSidesMessages() {
        Pair p = new Pair();
        assertThat(p.client.send(new Seq(1, 1))).isTrue();
        assertThat(p.client.ping()).isTrue();
        assertThat(p.client.send(new Seq(1, 2))).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo(new Seq(1, 1));
        assertThat(p.serverInbound.next()).as("the PING is no message").isEqualTo(new Seq(1, 2));
        await().atMost(WAIT).until(() -> p.clientInbound.pongs.get() == 1);

        assertThat(p.serverSide().ping()).as("either side may ping").isTrue();
        await().atMost(WAIT).until(() -> p.serverInbound.pongs.get() == 1);
        assertThat(p.clientInbound.messages).isEmpty();
        assertThat(p.serverInbound.messages).isEmpty();
        assertThat(p.clientInbound.pongs).hasValue(1);

        p.client.close();
        await().atMost(WAIT).until(() -> !p.client.isOpen());
        assertThat(p.client.ping()).as("nothing queued on a closed connection").isFalse();
    }

    @Test
    void framesOfEverySizeAndPingsLeaveInTheOrderTheyWereQueuedAndAReadCompleteFollowsTheLast() {
        Pair p = new Pair();
        List<Object> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // small frames share a batch buffer; one bigger than a batch gets its own, in between
            Object m = i % 37 == 0 ? new byte[20_000 + i] : i % 11 == 0 ? "s".repeat(i * 10) : new Seq(1, i);
            sent.add(m);
            assertThat(p.client.send(m)).isTrue();
            if (i % 50 == 0) {
                assertThat(p.client.ping()).isTrue();
            }
        }
        for (Object expected : sent) {
            Object got = p.serverInbound.next();
            if (expected instanceof byte[] b) {
                assertThat((byte[]) got).isEqualTo(b);
            } else {
                assertThat(got).isEqualTo(expected);
            }
        }
        await().atMost(WAIT).until(() -> p.clientInbound.pongs.get() == 4);
        await().atMost(WAIT).until(() -> p.serverInbound.arrivedAtReadComplete.get() == sent.size());
    }

    @Test
    void peerInfoCarriesThePeersNameAndPid() {
        Pair p = new Pair();
        long pid = ProcessHandle.current().pid();
        assertThat(p.client.peer().name()).isEqualTo(p.serverName);
        assertThat(p.client.peer().pid()).isEqualTo(pid);
        assertThat(p.client.peer().protocolVersion()).isEqualTo(4);
        Connection serverSide = p.serverSide();
        assertThat(serverSide.peer().name()).isEqualTo(p.clientName);
        assertThat(serverSide.peer().pid()).isEqualTo(pid);
        assertThat(serverSide.peer().toString()).contains(p.clientName).contains(Long.toString(pid));
    }

    @Test
    void manySmallMessagesFromSeveralSendersAllArriveInPerSenderOrder() throws Exception {
        int senders = 4;
        int perSender = 25_000;
        CountDownLatch all = new CountDownLatch(senders * perSender);
        int[] lastSeen = new int[senders];
        Arrays.fill(lastSeen, -1);
        AtomicReference<String> disorder = new AtomicReference<>();
        // Callbacks for one connection run one at a time, so lastSeen needs no lock.
        Inbound counting = new RecordingInbound() {
            @Override
            public void onMessage(Connection connection, Object message) {
                Seq s = (Seq) message;
                if (s.seq() != lastSeen[s.sender()] + 1) {
                    disorder.compareAndSet(null, "sender " + s.sender() + " sent " + s.seq() + " after " + lastSeen[s.sender()]);
                }
                lastSeen[s.sender()] = s.seq();
                all.countDown();
            }
        };
        Transport serverTransport = transport(uniqueName("srv"), TestMessages.withSeq());
        Transport clientTransport = transport(uniqueName("cli"), TestMessages.withSeq());
        Server server = serverTransport.bind(endpoint("bulk.sock"), credentials, c -> counting);
        closeables.push(server);
        Connection client = connect(clientTransport, server, new RecordingInbound());

        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> sent = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            sent.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                int ok = 0;
                for (int i = 0; i < perSender; i++) {
                    if (client.send(new Seq(sender, i))) {
                        ok++;
                    }
                }
                return ok;
            }, runnable -> new Thread(runnable, "sender-" + sender).start()));
        }
        start.countDown();
        for (CompletableFuture<Integer> f : sent) {
            assertThat(f).succeedsWithin(WAIT).isEqualTo(perSender);
        }
        assertThat(all.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("all %d messages arrived (%d missing)", senders * perSender, all.getCount()).isTrue();
        assertThat(disorder.get()).isNull();
        assertThat(lastSeen).containsOnly(perSender - 1);
    }

    @Test
    void largeMessageNearMaxFrameSizeArrivesBothWays() {
        Pair p = new Pair();
        // byte[] body: 1 byte class id + 3 bytes length + the bytes; the length field adds version and kind.
        byte[] big = new byte[MAX_FRAME - 2 - 4];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        assertThat(p.client.send(big)).isTrue();
        assertThat((byte[]) p.serverInbound.next()).isEqualTo(big);
        p.serverSide().send(big);
        assertThat((byte[]) p.clientInbound.next()).isEqualTo(big);

        // One byte more does not fit, and says so at the sender.
        byte[] tooBig = new byte[big.length + 1];
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SerializationException.class,
                () -> p.client.send(tooBig))).isInstanceOf(FrameTooLargeException.class).hasMessageContaining("max-frame-size");
        assertThat(p.client.isOpen()).isTrue();
        assertThat(p.client.send("after")).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo("after");
    }

    @Test
    void unregisteredMessageFailsAtSendAndTheConnectionStaysUsable() {
        record NotRegistered(int x) {
        }
        Pair p = new Pair();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SerializationException.class,
                () -> p.client.send(new NotRegistered(1))).className()).isEqualTo(NotRegistered.class.getName());
        assertThat(p.client.send("still fine")).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo("still fine");
    }

    @Test
    void frameOverMaxFrameSizeFromARawPeerClosesOnlyThatConnection() throws IOException {
        Pair p = new Pair();
        RecordingInbound rawSide = new RecordingInbound();
        AtomicReference<Connection> rawConnection = new AtomicReference<>();
        Server second = p.serverTransport.bind(endpoint("second.sock"), credentials, c -> {
            rawConnection.set(c);
            return rawSide;
        });
        closeables.push(second);

        try (RawPeer raw = rawPeer(second.endpoint())) {
            raw.hello("raw", credentials);
            Frame welcome = raw.readFrame(WAIT);
            assertThat(welcome).isNotNull().extracting(Frame::kind).isEqualTo(2);
            assertThat(rawConnection.get().peer().name()).isEqualTo("raw");

            raw.writeFrame(MAX_FRAME + 1, 1, 4, new byte[64]);

            raw.readUntilClosed(WAIT);
        }
        assertThat(rawSide.closed).succeedsWithin(WAIT).isInstanceOf(TooLongFrameException.class);
        assertThat(rawConnection.get().closeFuture()).succeedsWithin(WAIT);

        // The other connection of the same server transport is untouched.
        assertThat(p.client.isOpen()).isTrue();
        assertThat(p.client.send("still here")).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo("still here");
        assertThat(p.serverSide().send("and back")).isTrue();
        assertThat(p.clientInbound.next()).isEqualTo("and back");
        assertThat(p.serverInbound.closed).isNotDone();
    }

    @Test
    void undecodableMessageIsDroppedAndTheConnectionStaysOpen() throws IOException {
        Transport serverTransport = transport(uniqueName("srv"), TestMessages.withSeq());
        RecordingInbound inbound = new RecordingInbound();
        Server server = bind(serverTransport, inbound, new ArrayList<>());
        try (RawPeer raw = rawPeer(server.endpoint())) {
            raw.hello("raw", credentials);
            assertThat(raw.readFrame(WAIT)).isNotNull().extracting(Frame::kind).isEqualTo(2);

            raw.writeFrame(4, new byte[] {(byte) 0xC1, (byte) 0x84, 0x3D}); // unknown class id
            raw.writeFrame(4, new byte[] {3, 'h', (byte) 0xE9, 0, 0});       // "hi" plus leftovers
            raw.writeFrame(4, new byte[] {3, 'h', (byte) 0xE9});             // "hi"

            assertThat(inbound.next()).isEqualTo("hi");
            assertThat(inbound.messages).isEmpty();
            assertThat(inbound.closed).isNotDone();
        }
        assertThat(inbound.closed).succeedsWithin(WAIT);
    }

    @Test
    void closingTheClientFiresOnClosedOnTheServerAndCompletesCloseFutures() {
        Pair p = new Pair();
        Connection serverSide = p.serverSide();
        p.client.send("last words");

        p.client.close();

        assertThat(p.client.closeFuture()).succeedsWithin(WAIT);
        assertThat(p.serverInbound.closed).succeedsWithin(WAIT).as("an orderly close has no cause").isNull();
        assertThat(serverSide.closeFuture()).succeedsWithin(WAIT);
        assertThat(p.serverInbound.messages).containsExactly("last words");
        assertThat(p.clientInbound.closed).succeedsWithin(WAIT).isNull();
        assertThat(p.client.isOpen()).isFalse();
        assertThat(serverSide.isOpen()).isFalse();
    }

    @Test
    void messagesSentBeforeCloseArriveEvenWhenLarge() {
        Pair p = new Pair();
        byte[] big = new byte[MAX_FRAME / 2];
        Arrays.fill(big, (byte) 42);
        for (int i = 0; i < 4; i++) {
            assertThat(p.client.send(big)).isTrue();
        }
        assertThat(p.client.send("last")).isTrue();
        p.client.close();

        for (int i = 0; i < 4; i++) {
            assertThat((byte[]) p.serverInbound.next()).as("big message %d", i).isEqualTo(big);
        }
        assertThat(p.serverInbound.next()).isEqualTo("last");
        assertThat(p.serverInbound.closed).succeedsWithin(WAIT).isNull();
    }

    @Test
    void aPeerThatGoesAwayWithBytesUnreadIsAPlainCloseNotAFailure() throws IOException {
        // A child process that exits (or is killed) before reading all it was sent makes the kernel
        // reset the connection; its exit status explains it, so the connection reports no cause.
        Transport serverTransport = transport(uniqueName("srv"), TestMessages.withSeq());
        RecordingInbound inbound = new RecordingInbound();
        List<Connection> accepted = Collections.synchronizedList(new ArrayList<>());
        Server server = bind(serverTransport, inbound, accepted);
        try (RawPeer raw = rawPeer(server.endpoint())) {
            raw.hello("raw", credentials);
            assertThat(raw.readFrame(WAIT)).isNotNull().extracting(Frame::kind).isEqualTo(2);
            await().atMost(WAIT).until(() -> !accepted.isEmpty());

            assertThat(accepted.get(0).send("x".repeat(100_000))).isTrue();
            raw.readBytes(4, WAIT); // the frame has started to arrive; the rest stays unread
        }
        assertThat(inbound.closed).succeedsWithin(WAIT).as("a reset by the peer has no cause").isNull();
    }

    @Test
    void whatAPeerWroteBeforeItClosedArrivesEvenWhenWritingToItFails() {
        // A child replies, says why it exits and closes, while the node still writes to it (notices,
        // heartbeats): the node's writes fail (EPIPE), and must not discard what the child wrote.
        Pair p = new Pair();
        Connection serverSide = p.serverSide();
        serverSide.pauseReads(); // what the client writes stays unread until the writes below failed
        int n = 200;
        for (int i = 0; i < n; i++) {
            assertThat(p.client.send(new Seq(1, i))).isTrue();
        }
        p.client.close();
        assertThat(p.client.closeFuture()).succeedsWithin(WAIT);
        await("a write to the closed peer failed").atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> !serverSide.send("notice") || !serverSide.isOpen());
        serverSide.resumeReads();
        for (int i = 0; i < n; i++) {
            assertThat(p.serverInbound.next()).as("message %d of %d", i, n).isEqualTo(new Seq(1, i));
        }
        assertThat(serverSide.closeFuture()).as("closed at the peer's end of stream").succeedsWithin(WAIT);
    }

    @Test
    void sendOnAClosedConnectionReturnsFalse() {
        Pair p = new Pair();
        Connection serverSide = p.serverSide();
        p.client.close();
        assertThat(p.client.closeFuture()).succeedsWithin(WAIT);
        assertThat(serverSide.closeFuture()).succeedsWithin(WAIT);

        assertThat(p.client.send("too late")).isFalse();
        assertThat(serverSide.send("too late")).isFalse();
        assertThatCode(p.client::close).as("closing twice").doesNotThrowAnyException();
    }

    @Test
    void sendersRacingTheConnectionsCloseSeeFalseNeverAnException() throws Exception {
        Transport serverTransport = transport(uniqueName("srv"), TestMessages.withSeq());
        Transport clientTransport = transport(uniqueName("cli"), TestMessages.withSeq());
        List<Connection> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger received = new AtomicInteger();
        Server server = serverTransport.bind(endpoint("race.sock"), credentials, c -> {
            accepted.add(c);
            return new RecordingInbound() {
                @Override
                public void onMessage(Connection connection, Object message) {
                    received.incrementAndGet();
                }
            };
        });
        closeables.push(server);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        int perSender = 10_000;
        for (int round = 0; round < 5; round++) {
            Connection client = connect(clientTransport, server, new RecordingInbound());
            CountDownLatch sending = new CountDownLatch(8);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int sender = t;
                Thread thread = new Thread(() -> {
                    try {
                        for (int i = 0; i < perSender && client.send(new Seq(sender, i)); i++) {
                            if (i == 10) {
                                sending.countDown();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        sending.countDown();
                    }
                }, "racer-" + t);
                thread.start();
                senders.add(thread);
            }
            assertThat(sending.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // The peer goes away while eight threads are sending.
            await().atMost(WAIT).until(() -> !accepted.isEmpty());
            accepted.remove(0).close();
            for (Thread thread : senders) {
                thread.join(WAIT.toMillis());
                assertThat(thread.isAlive()).as("sender finished or saw send return false").isFalse();
            }
            assertThat(client.closeFuture()).succeedsWithin(WAIT);
            assertThat(client.send("after")).isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(received).hasPositiveValue();
    }

    @Test
    void aTaskGivenToAConnectionRunsOnTheThreadOfItsMessagesNeverBesideOneAndNotOnceItsTransportClosed() {
        int n = 2000;
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        AtomicBoolean handling = new AtomicBoolean();
        AtomicInteger handled = new AtomicInteger();
        Transport serverTransport = transport(uniqueName("srv"), TestMessages.withSeq());
        Transport clientTransport = transport(uniqueName("cli"), TestMessages.withSeq());
        List<Connection> accepted = Collections.synchronizedList(new ArrayList<>());
        Server server = serverTransport.bind(endpoint("node.sock"), credentials, c -> {
            accepted.add(c);
            return new RecordingInbound() {
                @Override
                public void onMessage(Connection connection, Object message) {
                    handling.set(true);
                    handlerThread.set(Thread.currentThread());
                    for (int i = 0; i < 200; i++) {
                        Thread.onSpinWait(); // long enough for a task on another thread to overlap
                    }
                    handled.incrementAndGet();
                    handling.set(false);
                }
            };
        });
        closeables.push(server);
        Connection client = connect(clientTransport, server, new RecordingInbound());
        await().atMost(WAIT).until(() -> !accepted.isEmpty());
        Connection serverSide = accepted.get(0);

        AtomicInteger ran = new AtomicInteger();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            assertThat(client.send(new Seq(1, i))).isTrue();
            assertThat(serverSide.execute(() -> {
                Thread handler = handlerThread.get();
                if (!Transport.isIoThread() || handling.get() || handler != null && handler != Thread.currentThread()) {
                    violations.add("on " + Thread.currentThread().getName() + ", handling=" + handling.get());
                }
                ran.incrementAndGet();
            })).isTrue();
        }
        await().atMost(WAIT).until(() -> ran.get() == n && handled.get() == n);
        assertThat(violations).isEmpty();

        serverTransport.close();
        AtomicBoolean ranAfterClose = new AtomicBoolean();
        assertThat(serverSide.execute(() -> ranAfterClose.set(true))).as("a closed transport runs nothing").isFalse();
        assertThat(ranAfterClose).isFalse();
    }

    @Test
    void closingTheClientTransportClosesItsConnectionsOnBothSides() {
        Pair p = new Pair();
        Connection serverSide = p.serverSide();
        p.clientTransport.close();
        assertThat(p.client.closeFuture()).succeedsWithin(WAIT);
        assertThat(p.clientInbound.closed).succeedsWithin(WAIT);
        assertThat(serverSide.closeFuture()).succeedsWithin(WAIT);
        assertThat(p.serverInbound.closed).succeedsWithin(WAIT);

        assertThat(p.client.send("after the transport closed")).isFalse();
        assertThatCode(p.client::close).as("closing a connection of a closed transport").doesNotThrowAnyException();
    }

    @Test
    void clientAdoptsTheServersRegistrationTable() {
        Registrations serverRegs = Registrations.builder()
                .register(Seq.class, TestMessages.SEQ_ID)
                .register(UserRecord.class, TestMessages.USER_RECORD_ID)
                .build();
        Transport clientTransport = transport(uniqueName("cli"), Registrations.builder().build());
        assertThat(clientTransport.registrations().byType(UserRecord.class)).isEmpty();

        Transport serverTransport = transport(uniqueName("srv"), serverRegs);
        RecordingInbound serverInbound = new RecordingInbound();
        List<Connection> accepted = Collections.synchronizedList(new ArrayList<>());
        Server server = bind(serverTransport, serverInbound, accepted);
        RecordingInbound clientInbound = new RecordingInbound();
        Connection client = connect(clientTransport, server, clientInbound);

        assertThat(clientTransport.registrations().byType(UserRecord.class))
                .hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(TestMessages.USER_RECORD_ID));
        assertThat(clientTransport.registrations().table()).containsAll(serverRegs.table());

        UserRecord r = new UserRecord("adopted", List.of(1, 2, 3));
        assertThat(client.send(r)).isTrue();
        assertThat(serverInbound.next()).isEqualTo(r);
        await().atMost(WAIT).until(() -> !accepted.isEmpty());
        assertThat(accepted.get(0).send(new UserRecord("back", List.of()))).isTrue();
        assertThat(clientInbound.next()).isEqualTo(new UserRecord("back", List.of()));
    }

    @Test
    void clientWhoseTableConflictsWithTheServersIsRejected() {
        Transport serverTransport = transport(uniqueName("srv"),
                Registrations.builder().register(UserRecord.class, 1000).build());
        Transport clientTransport = transport(uniqueName("cli"),
                Registrations.builder().register(Seq.class, 1000).build());
        Server server = bind(serverTransport, new RecordingInbound(), new ArrayList<>());
        assertThat(clientTransport.connect(server.endpoint(), credentials, new RecordingInbound()))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(HandshakeException.class)
                .withMessageContaining("[1000]")
                .withMessageContaining(UserRecord.class.getName())
                .withMessageContaining(Seq.class.getName());
    }

    @Test
    void serverCloseDeletesTheSocketFileWhichOnlyThisUserCouldUse() throws IOException {
        Assumptions.assumeTrue(kind().isUnixDomain(), "Unix domain sockets only");
        Transport t = transport(uniqueName("srv"), TestMessages.withSeq());
        Server server = t.bind(endpoint("perm.sock"), credentials, c -> new RecordingInbound());
        Path path = server.endpoint().path();

        assertThat(path).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");

        server.close();

        assertThat(path).doesNotExist();
        assertThatCode(server::close).as("closing twice").doesNotThrowAnyException();
    }

    @Test
    void serverCloseStopsAcceptingButKeepsAcceptedConnections() {
        Pair p = new Pair();
        Connection serverSide = p.serverSide();
        Endpoint endpoint = p.server.endpoint();

        p.server.close();

        assertThat(p.clientTransport.connect(endpoint, credentials, new RecordingInbound()))
                .failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(HandshakeException.class);
        assertThat(p.client.send("still connected")).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo("still connected");
        assertThat(serverSide.send("yes")).isTrue();
        assertThat(p.clientInbound.next()).isEqualTo("yes");
    }

    // --- hostile and refused peers -----------------------------------------------------------------

    @Test
    void kernelCredentialsOfThePeerAreReportedAsFarAsTheSocketKindAllows() {
        Pair p = new Pair();
        long pid = ProcessHandle.current().pid();
        for (PeerCredentials kernel : List.of(p.serverSide().peer().kernel(), p.client.peer().kernel())) {
            switch (kind()) {
                case EPOLL -> {
                    assertThat(kernel.pid()).hasValue(pid);
                    assertThat(kernel.uid()).isPresent();
                    assertThat(kernel.gid()).isPresent();
                    assertThat(kernel.sameUser()).isTrue();
                }
                case NIO_UNIX -> {
                    assertThat(kernel.pid()).as("the JDK does not expose the peer's pid").isEmpty();
                    assertThat(kernel.user()).hasValue(System.getProperty("user.name"));
                    assertThat(kernel.group()).isPresent();
                    assertThat(kernel.sameUser()).isTrue();
                }
                case TCP -> {
                    assertThat(kernel).isEqualTo(PeerCredentials.NONE);
                    assertThat(kernel.sameUser()).as("unknown fails closed").isFalse();
                }
                default -> throw new AssertionError(kind());
            }
        }
    }

    @Test
    void tinyMessagesDeclaringHugeLengthsCloseOnlyTheirConnectionWithoutAllocatingWhatTheyDeclare() throws IOException {
        Pair p = new Pair();
        Deque<RecordingInbound> rawSides = new java.util.concurrent.ConcurrentLinkedDeque<>();
        Server second = p.serverTransport.bind(endpoint("hostile.sock"), credentials, c -> {
            RecordingInbound in = new RecordingInbound();
            rawSides.add(in);
            return in;
        });
        closeables.push(second);

        for (HostileMessages.Hostile hostile : HostileMessages.all()) {
            try (RawPeer raw = rawPeer(second.endpoint())) {
                raw.hello("raw", credentials);
                assertThat(raw.readFrame(WAIT)).isNotNull().extracting(Frame::kind).isEqualTo(2);
                raw.writeFrame(4, new byte[] {3, 'h', (byte) 0xE9}); // "hi": this loop's Kryo exists before we measure
                RecordingInbound rawSide = rawSides.getLast();
                assertThat(rawSide.next()).isEqualTo("hi");
                long[] serverThreads = HostileMessages.threadIds("procactor-io-" + p.serverName);
                long before = HostileMessages.allocatedBytes(serverThreads);

                raw.writeFrame(4, hostile.body());

                raw.readUntilClosed(WAIT);
                assertThat(rawSide.closed).as(hostile.toString()).succeedsWithin(WAIT)
                        .isInstanceOf(MessageLimitException.class);
                long allocated = HostileMessages.allocatedBytes(serverThreads) - before;
                assertThat(allocated).as("bytes the server allocated for %s", hostile).isLessThan(16L * 1024 * 1024);
            }
        }
        // The server and its other connection carry on.
        assertThat(p.client.send("still here")).isTrue();
        assertThat(p.serverInbound.next()).isEqualTo("still here");
        assertThat(p.serverInbound.closed).isNotDone();
    }

    @Test
    void aRefusedPeerGetsNoWelcomeAndNothingItSendsIsDecoded() throws IOException {
        String serverName = uniqueName("srv");
        Transport serverTransport = transport(serverName, TestMessages.withSeq());
        AtomicInteger acceptorCalls = new AtomicInteger();
        Server server = serverTransport.bind(endpoint("gate.sock"), hello -> hello.proves(credentials)
                && hello.peer().name().equals("expected") ? Admission.accept(c -> {
                    acceptorCalls.incrementAndGet();
                    return new RecordingInbound();
                }) : Admission.refuse("not a child this node is starting"));
        closeables.push(server);
        try (RawPeer raw = rawPeer(server.endpoint())) {
            // The right token under another name, with a hostile message right behind the HELLO.
            byte[] hello = RawPeer.helloBytes("intruder", 4242, credentials);
            byte[] hostile = RawPeer.frameBytes(4, HostileMessages.all().get(0).body());
            byte[] both = Arrays.copyOf(hello, hello.length + hostile.length);
            System.arraycopy(hostile, 0, both, hello.length, hostile.length);
            raw.write(both);

            List<Frame> frames = RawPeer.parseFrames(raw.readUntilClosed(WAIT));
            assertThat(frames).singleElement().satisfies(f -> {
                assertThat(f.kind()).as("REFUSE, never WELCOME").isEqualTo(3);
                assertThat(f.bodyAsHandshakeString()).isEqualTo("not a child this node is starting");
            });
        }
        assertThat(acceptorCalls).hasValue(0);
        assertThat(server.refusedConnections()).isEqualTo(1);
        await().atMost(WAIT).until(() -> server.pendingHandshakes() == 0);
    }

    @Test
    void eachPeerCanHaveItsOwnOneTimeSecret() {
        Transport serverTransport = transport(uniqueName("srv"), TestMessages.withSeq());
        String clientName = uniqueName("cli");
        Transport clientTransport = transport(clientName, TestMessages.withSeq());
        Credentials own = Credentials.random();
        java.util.Map<String, Credentials> expected = new java.util.concurrent.ConcurrentHashMap<>();
        expected.put(clientName, own);
        RecordingInbound inbound = new RecordingInbound();
        Server server = serverTransport.bind(endpoint("own.sock"), hello -> {
            Credentials secret = expected.get(hello.peer().name());
            return secret != null && hello.proves(secret) && expected.remove(hello.peer().name(), secret)
                    ? Admission.accept(c -> inbound) : Admission.refuse("unknown peer or spent secret");
        });
        closeables.push(server);

        assertThat(clientTransport.connect(server.endpoint(), credentials, new RecordingInbound()))
                .as("another peer's secret").failsWithin(WAIT);
        Connection c = assertThat(clientTransport.connect(server.endpoint(), own, new RecordingInbound()))
                .succeedsWithin(WAIT).actual();
        assertThat(c.send("in")).isTrue();
        assertThat(inbound.next()).isEqualTo("in");
        assertThat(clientTransport.connect(server.endpoint(), own, new RecordingInbound()))
                .as("a spent secret").failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(HandshakeException.class).withMessageContaining("unknown peer or spent secret");
        assertThat(server.refusedConnections()).isEqualTo(2);
    }

    @Test
    void transportCloseStopsItsThreads() {
        Pair p = new Pair();
        p.client.send("wake every loop");
        p.serverInbound.next();
        String serverPrefix = "procactor-io-" + p.serverName;
        String clientPrefix = "procactor-io-" + p.clientName;
        assertThat(threadsNamed(serverPrefix)).isNotEmpty();
        assertThat(threadsNamed(clientPrefix)).isNotEmpty();

        p.clientTransport.close();
        p.serverTransport.close();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(threadsNamed(serverPrefix)).isEmpty();
            assertThat(threadsNamed(clientPrefix)).isEmpty();
        });
        assertThatCode(p.serverTransport::close).as("closing twice").doesNotThrowAnyException();
    }

    static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .toList();
    }
}
