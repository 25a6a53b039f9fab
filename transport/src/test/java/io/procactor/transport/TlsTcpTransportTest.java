package io.procactor.transport;

import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole transport contract again over TCP with mutual TLS: TLS sits below the frames, so
 * everything (length bounds, hostile frames, half-closes) must behave as over plain TCP. Raw
 * peers speak TLS too, presenting a certificate of the cluster CA.
 */
class TlsTcpTransportTest extends TransportContractTest {
    @TempDir
    static Path pkiDir;
    static TestPki.Node node;
    static SSLContext rawTls;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestPki pki = new TestPki(pkiDir);
        node = pki.node("node", pki.ca("cluster-ca"));
        rawTls = TestPki.sslContext(node, node.ca());
    }

    @Override
    TransportKind kind() {
        return TransportKind.TCP;
    }

    @Override
    TransportSettings settings() {
        return super.settings().withTls(node.settings());
    }

    @Override
    RawPeer rawPeer(Endpoint endpoint) throws IOException {
        return RawPeer.connectTls(endpoint, rawTls);
    }

    // Two slow cases whose subject lies above the bytes (decoding bounds, close races): TLS changes
    // nothing there, and over TLS each of their many connections costs a handshake.

    @Test
    @Disabled("decoding bounds are independent of TLS; covered by TcpTransportTest")
    @Override
    void tinyMessagesDeclaringHugeLengthsCloseOnlyTheirConnectionWithoutAllocatingWhatTheyDeclare() {
    }

    @Test
    @Disabled("close races are above the TLS layer; covered by TcpTransportTest")
    @Override
    void sendersRacingTheConnectionsCloseSeeFalseNeverAnException() {
    }
}
