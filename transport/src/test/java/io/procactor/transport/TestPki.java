package io.procactor.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates made at test time with the JDK's own {@code keytool} (no BouncyCastle): a
 * cluster CA, node certificates it signs, and the files procactor reads (PEM certificate, PKCS#8
 * PEM key, PEM CA, PKCS12 key store). keytool cannot export a private key, so the node's PKCS12
 * is read with {@link KeyStore} and its key written as PKCS#8 PEM here. EC P-256 keys: fast to make.
 * Not thread-safe; make one per test class.
 */
public final class TestPki {
    static final String PASSWORD = "test-pass";
    private final Path dir;

    /** One CA, {@link #ca()}, under {@code dir}. */
    public record Ca(String name, Path keyStore, Path pem) {
    }

    /** A node's files: PEM certificate (its own, then the CA), PKCS#8 PEM key, PKCS12 key store. */
    public record Node(String name, Path certificate, Path privateKey, Path keyStore, Ca ca) {
        /** TLS settings presenting this node and trusting {@code trust}. */
        public TlsSettings settings(Ca trust) {
            return TlsSettings.pem(certificate, privateKey, trust.pem());
        }

        /** TLS settings presenting this node and trusting its own CA. */
        public TlsSettings settings() {
            return settings(ca);
        }
    }

    public TestPki(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA certificate that may sign others. */
    public Ca ca(String name) throws IOException {
        Path ks = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ks.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return new Ca(name, ks, pem);
    }

    /** A node key pair whose certificate {@code ca} signs, valid from now for 2 days. */
    public Node node(String name, Ca ca) throws Exception {
        return node(name, ca, null);
    }

    /** As {@link #node(String, Ca)}, valid from {@code startDate} (keytool's form, e.g. "-5d") when not null, for 2 days. */
    public Node node(String name, Ca ca, String startDate) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + ".signed.pem");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "node", "-keystore", ks.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.keyStore().toString(),
                "-storepass", PASSWORD, "-infile", csr.toString(), "-outfile", signed.toString(), "-validity", "2",
                "-ext", "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth,clientAuth"));
        if (startDate != null) {
            gencert.addAll(List.of("-startdate", startDate));
        }
        keytool(gencert.toArray(String[]::new));

        KeyStore own = load(ks);
        PrivateKey key = (PrivateKey) own.getKey("node", PASSWORD.toCharArray());
        X509Certificate caCert = (X509Certificate) load(ca.keyStore()).getCertificate("ca");
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(signed)) {
            cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        // The node's chain: its CA-signed certificate, then the CA.
        Path certificate = dir.resolve(name + ".crt.pem");
        Files.writeString(certificate, pem("CERTIFICATE", cert.getEncoded()) + pem("CERTIFICATE", caCert.getEncoded()));
        Path privateKey = dir.resolve(name + ".key.pem");
        Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded())); // getEncoded() of a private key is PKCS#8
        Path store = dir.resolve(name + ".chain.p12");
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry("node", key, PASSWORD.toCharArray(), new Certificate[] {cert, caCert});
        try (var out = Files.newOutputStream(store)) {
            p12.store(out, PASSWORD.toCharArray());
        }
        return new Node(name, certificate, privateKey, store, ca);
    }

    /**
     * A JDK SSLContext presenting {@code node} (or no certificate when null) and trusting {@code trust}.
     * It presents its certificate whatever CAs the server asks for (a JDK client by default sends
     * none when its CA is not among them), so a server sees a stranger's certificate.
     */
    public static SSLContext sslContext(Node node, Ca trust) throws Exception {
        KeyManager[] keyManagers = null;
        if (node != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(load(node.keyStore()), PASSWORD.toCharArray());
            keyManagers = new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", load(trust.keyStore()).getCertificate("ca"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(keyManagers, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Chooses the one key of its store as client key, whatever issuers the server named. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        private final String alias;

        AlwaysPresent(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
            String[] aliases = delegate.getClientAliases("EC", null);
            this.alias = aliases != null && aliases.length > 0 ? aliases[0] : null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String a) {
            return delegate.getCertificateChain(a);
        }

        @Override
        public PrivateKey getPrivateKey(String a) {
            return delegate.getPrivateKey(a);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static KeyStore load(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1"); // a short-lived JVM: start fast
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TestTimeouts.seconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s: " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (exit " + p.exitValue() + "): " + cmd + "\n" + out);
        }
    }
}
