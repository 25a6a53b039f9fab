package io.procactor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.procactor.transport.internal.ServerHandshakeHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS over real loopback TCP: who gets in, who is refused and what the server says about
 * it, and how TLS settings are checked. The certificates are made at class start with keytool.
 */
class TlsTest {
    private static final Duration WAIT = TestTimeouts.seconds(10);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path pkiDir;
    static TestPki.Ca clusterCa;
    static TestPki.Ca otherCa;
    static TestPki.Node nodeA;
    static TestPki.Node nodeB;
    static TestPki.Node stranger;
    static TestPki.Node expired;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestPki pki = new TestPki(pkiDir);
        clusterCa = pki.ca("cluster-ca");
        otherCa = pki.ca("other-ca");
        nodeA = pki.node("node-a", clusterCa);
        nodeB = pki.node("node-b", clusterCa);
        stranger = pki.node("stranger", otherCa);
        expired = pki.node("expired", clusterCa, "-5d"); // valid for 2 days, 5 days ago
    }

    private final Credentials credentials = Credentials.random();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final ListAppender<ILoggingEvent> refusals = new ListAppender<>();
    private final Logger serverLog = (Logger) LoggerFactory.getLogger(ServerHandshakeHandler.class);

    @BeforeEach
    void captureRefusals() {
        refusals.start();
        serverLog.addAppender(refusals);
    }

    @AfterEach
    void closeEverything() throws Exception {
        serverLog.detachAppender(refusals);
        while (!closeables.isEmpty()) {
            closeables.pop().close();
        }
    }

    private Transport transport(TlsSettings tls) {
        TransportSettings s = new TransportSettings(TransportKind.TCP, 64 * 1024, HANDSHAKE_TIMEOUT, 1).withTls(tls);
        Transport t = Transport.create(s, "tls-" + NAMES.incrementAndGet() + "x", TestMessages.withSeq());
        closeables.push(t);
        return t;
    }

    private Server serve(Transport t, RecordingInbound inbound) {
        Server s = t.bind(Endpoint.loopback(0), credentials, c -> inbound);
        closeables.push(s);
        return s;
    }

    private Throwable connectFailure(Transport client, Server server) {
        return assertThat(client.connect(server.endpoint(), credentials, new RecordingInbound()))
                .failsWithin(WAIT).withThrowableOfType(ExecutionException.class).actual().getCause();
    }

    private List<String> refusalLines() {
        return refusals.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void assertServes(Transport server, Server bound, RecordingInbound inbound) {
        Connection good = assertThat(transport(nodeB.settings()).connect(bound.endpoint(), credentials, new RecordingInbound()))
                .succeedsWithin(WAIT).actual();
        assertThat(good.send("still serving")).isTrue();
        assertThat(inbound.next()).isEqualTo("still serving");
        assertThat(server.usesTls()).isTrue();
    }

    @Test
    void mutualTlsRoundTripBetweenTwoNodesOfTheClusterCa() {
        RecordingInbound serverInbound = new RecordingInbound();
        RecordingInbound clientInbound = new RecordingInbound();
        Transport server = transport(nodeA.settings());
        Server bound = serve(server, serverInbound);
        Connection c = assertThat(transport(nodeB.settings()).connect(bound.endpoint(), credentials, clientInbound))
                .succeedsWithin(WAIT).actual();
        assertThat(c.send(new TestMessages.Seq(1, 2))).isTrue();
        assertThat(serverInbound.next()).isEqualTo(new TestMessages.Seq(1, 2));
        Connection serverSide = serverInbound.firstConnection.join();
        assertThat(serverSide.send("back")).isTrue();
        assertThat(clientInbound.next()).isEqualTo("back");
        assertThat(bound.refusedConnections()).isZero();
    }

    @Test
    void aClientWithACertificateOfAnotherCaIsRefusedAndTheServerKeepsServing() throws Exception {
        RecordingInbound inbound = new RecordingInbound();
        Transport server = transport(nodeA.settings());
        Server bound = serve(server, inbound);

        // The stranger trusts the cluster CA (it knows whom it calls) but its own certificate is from another
        // CA. A JDK client offers only a certificate of a CA the server names, so procactor's sends none ...
        Throwable failure = connectFailure(transport(stranger.settings(clusterCa)), bound);
        assertThat(failure).isInstanceOf(HandshakeException.class);
        await().atMost(WAIT).until(() -> bound.refusedConnections() == 1);
        assertThat(refusalLines()).singleElement().asString()
                .contains("127.0.0.1:")
                .contains("no certificate signed by the cluster CA");

        // ... and one that presents it anyway is refused for the signature.
        try (RawPeer raw = RawPeer.connectTls(bound.endpoint(), TestPki.sslContext(stranger, clusterCa))) {
            try {
                raw.hello("stranger", credentials);
                assertThat(raw.readFrame(WAIT)).as("no WELCOME").isNull();
            } catch (java.io.IOException | AssertionError e) {
                // refused in the handshake: the write or the read fails, which is what we want
            }
        }
        await().atMost(WAIT).until(() -> bound.refusedConnections() == 2);
        assertThat(refusalLines().get(1)).contains("127.0.0.1:").contains("certificate not signed by the cluster CA");
        assertThat(inbound.messages).isEmpty();

        assertServes(server, bound, inbound);
    }

    @Test
    void aClientThatDoesNotTrustTheServersCaGivesUpWithAClearReason() {
        Server bound = serve(transport(nodeA.settings()), new RecordingInbound());
        Throwable failure = connectFailure(transport(stranger.settings()), bound); // trusts only the other CA
        assertThat(failure).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("TLS handshake with " + bound.endpoint())
                .hasMessageContaining("certificate not signed by the cluster CA");
        await().atMost(WAIT).until(() -> bound.refusedConnections() == 1);
        assertThat(refusalLines()).singleElement().asString().contains("does not trust our certificate");
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        RecordingInbound inbound = new RecordingInbound();
        Transport server = transport(nodeA.settings());
        Server bound = serve(server, inbound);

        try (RawPeer raw = RawPeer.connectTls(bound.endpoint(), TestPki.sslContext(null, clusterCa))) {
            try {
                raw.hello("anonymous", credentials);
                assertThat(raw.readFrame(WAIT)).as("no WELCOME").isNull();
            } catch (java.io.IOException | AssertionError e) {
                // refused in the handshake: the write or the read fails, which is what we want
            }
        }
        await().atMost(WAIT).until(() -> bound.refusedConnections() == 1);
        assertThat(refusalLines()).singleElement().asString().contains("the peer presented no certificate");
        assertThat(inbound.messages).isEmpty();

        assertServes(server, bound, inbound);
    }

    @Test
    void aPlainTcpClientIsRefusedQuicklyAndCleanly() {
        RecordingInbound inbound = new RecordingInbound();
        Transport server = transport(nodeA.settings());
        Server bound = serve(server, inbound);

        long start = System.nanoTime();
        Throwable failure = connectFailure(transport(TlsSettings.DISABLED), bound);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for a timeout").isLessThan(HANDSHAKE_TIMEOUT);
        assertThat(failure).isInstanceOf(HandshakeException.class);
        await().atMost(WAIT).until(() -> bound.refusedConnections() == 1);
        assertThat(refusalLines()).singleElement().asString().contains("does not speak TLS");

        assertServes(server, bound, inbound);
    }

    @Test
    void aTlsClientOfAPlainServerFailsQuicklyWithAHint() {
        Server bound = serve(transport(TlsSettings.DISABLED), new RecordingInbound());
        long start = System.nanoTime();
        Throwable failure = connectFailure(transport(nodeB.settings()), bound);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HANDSHAKE_TIMEOUT);
        assertThat(failure).isInstanceOf(HandshakeException.class).hasMessageContaining("does not speak TLS");
    }

    @Test
    void aPeerThatStallsTheTlsHandshakeIsClosedAfterTheHandshakeTimeoutWithoutBlockingOthers() throws Exception {
        RecordingInbound inbound = new RecordingInbound();
        Transport server = transport(nodeA.settings());
        Server bound = serve(server, inbound);
        try (RawPeer silent = RawPeer.connect(bound.endpoint())) { // TCP connected, never a ClientHello
            assertServes(server, bound, inbound); // served meanwhile
            assertThat(silent.readUntilClosed(WAIT)).isEmpty();
        }
        await().atMost(WAIT).until(() -> bound.refusedConnections() == 1);
        assertThat(refusalLines()).singleElement().asString()
                .containsAnyOf("TLS handshake not completed within 2000 ms", "no HELLO within 2000 ms");
        assertThat(bound.pendingHandshakes()).isZero();
    }

    @Test
    void anExpiredCertificateIsRefusedSayingSo() {
        RecordingInbound inbound = new RecordingInbound();
        Transport server = transport(nodeA.settings());
        Server bound = serve(server, inbound);
        assertThat(connectFailure(transport(expired.settings()), bound)).isInstanceOf(HandshakeException.class);
        await().atMost(WAIT).until(() -> bound.refusedConnections() == 1);
        assertThat(refusalLines()).singleElement().asString().contains("certificate has expired");
        assertServes(server, bound, inbound);
    }

    @Test
    void aPkcs12KeyStoreWorksLikePemFiles() {
        RecordingInbound inbound = new RecordingInbound();
        Server bound = serve(transport(TlsSettings.keyStore(nodeA.keyStore(), TestPki.PASSWORD, clusterCa.pem())), inbound);
        Connection c = assertThat(transport(nodeB.settings()).connect(bound.endpoint(), credentials, new RecordingInbound()))
                .succeedsWithin(WAIT).actual();
        assertThat(c.send("p12")).isTrue();
        assertThat(inbound.next()).isEqualTo("p12");
    }

    @Test
    void tls12CanBeChosenAndBothEndsMustShareAVersion() {
        RecordingInbound inbound = new RecordingInbound();
        Server bound = serve(transport(nodeA.settings().withProtocols(List.of("TLSv1.2"))), inbound);
        assertThat(transport(nodeB.settings().withProtocols(List.of("TLSv1.3", "TLSv1.2")))
                .connect(bound.endpoint(), credentials, new RecordingInbound())).succeedsWithin(WAIT);
        Throwable failure = connectFailure(transport(nodeB.settings()), bound); // TLSv1.3 only
        assertThat(failure).hasMessageContaining("no TLS version in common");
    }

    @Test
    void unixDomainSocketsIgnoreTls() {
        TransportSettings s = new TransportSettings(TransportKind.NIO_UNIX, 64 * 1024, WAIT, 1).withTls(nodeA.settings());
        try (Transport t = Transport.create(s, "tls-unix-" + NAMES.incrementAndGet() + "x", TestMessages.withSeq())) {
            assertThat(t.usesTls()).isFalse();
        }
    }

    // ---- settings checks ----

    @Test
    void aMissingFileIsNamedWithItsSetting(@TempDir Path dir) {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> TlsSettings.pem(nodeA.certificate(), nodeA.privateKey(), missing).check())
                .isInstanceOfSatisfying(TlsConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("trust"))
                .hasMessageContaining("tls.trust").hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Transport.create(new TransportSettings(TransportKind.TCP, 64 * 1024, WAIT, 1)
                .withTls(TlsSettings.pem(missing, nodeA.privateKey(), clusterCa.pem())), "bad", TestMessages.withSeq()))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("tls.certificate");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() {
        assertThatThrownBy(() -> TlsSettings.pem(nodeA.certificate(), nodeB.privateKey(), clusterCa.pem()).check())
                .isInstanceOfSatisfying(TlsConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("private-key"))
                .hasMessageContaining("does not belong to the certificate").hasMessageContaining("CN=node-a");
    }

    @Test
    void aPkcs1OrEncryptedKeyOrAFileWithoutCertificatesIsExplained(@TempDir Path dir) throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), TestPki.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> TlsSettings.pem(nodeA.certificate(), pkcs1, clusterCa.pem()).check())
                .hasMessageContaining("not PKCS#8").hasMessageContaining("openssl pkcs8 -topk8");
        Path encrypted = Files.writeString(dir.resolve("enc.pem"), TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1}));
        assertThatThrownBy(() -> TlsSettings.pem(nodeA.certificate(), encrypted, clusterCa.pem()).check())
                .hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> TlsSettings.pem(nodeA.certificate(), nodeA.privateKey(), nodeA.privateKey()).check())
                .isInstanceOfSatisfying(TlsConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("trust"))
                .hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void protocolsOlderThanTls12AndIncompleteSettingsAreRefused() {
        assertThatThrownBy(() -> nodeA.settings().withProtocols(List.of("TLSv1.1")))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("TLSv1.1");
        assertThatThrownBy(() -> new TlsSettings(true, nodeA.certificate(), null, null, "", clusterCa.pem(), List.of("TLSv1.3")))
                .hasMessageContaining("tls.private-key");
        assertThatThrownBy(() -> new TlsSettings(true, nodeA.certificate(), nodeA.privateKey(), null, "", null, List.of("TLSv1.3")))
                .hasMessageContaining("tls.trust");
        assertThat(TlsSettings.keyStore(nodeA.keyStore(), "secret", clusterCa.pem()).toString())
                .doesNotContain("secret").contains("****");
    }
}
