package io.procactor.transport.internal;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.procactor.transport.TlsConfigurationException;
import io.procactor.transport.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The server and client {@link SslContext}s of one transport, built once from {@link TlsSettings}
 * with the JDK's TLS provider (no native library). Files are read and checked here, so every
 * problem is a {@link TlsConfigurationException} naming the setting, the file and the fix.
 * Host names are not verified (see {@link TlsSettings}). Immutable and thread-safe.
 */
public final class TlsContexts {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final String TO_PKCS8 = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pk8.pem";

    private final SslContext server;
    private final SslContext client;

    private TlsContexts(SslContext server, SslContext client) {
        this.server = server;
        this.client = client;
    }

    /** Reads the files named in {@code tls} and builds both contexts. */
    public static TlsContexts load(TlsSettings tls) {
        PrivateKey key;
        List<X509Certificate> chain;
        if (tls.keyStore() != null) {
            KeyStore.PrivateKeyEntry entry = keyStoreEntry(tls.keyStore(), tls.keyStorePassword());
            key = entry.getPrivateKey();
            chain = new ArrayList<>();
            for (Certificate c : entry.getCertificateChain()) {
                chain.add((X509Certificate) c);
            }
        } else {
            chain = certificates("certificate", tls.certificate());
            key = privateKey(tls.privateKey());
            requireMatch(key, chain.get(0), tls);
        }
        List<X509Certificate> trust = certificates("trust", tls.trust());
        String[] protocols = tls.protocols().toArray(String[]::new);
        try {
            SslContext server = SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols(protocols)
                    .build();
            SslContext client = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .keyManager(key, chain)
                    .trustManager(trust)
                    .protocols(protocols)
                    .endpointIdentificationAlgorithm(null) // members are known by their CA-signed certificate, not by name
                    .build();
            return new TlsContexts(server, client);
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigurationException(tls.keyStore() != null ? "key-store" : "certificate",
                    String.valueOf(tls.keyStore() != null ? tls.keyStore() : tls.certificate()),
                    "cannot be used for TLS (" + e.getMessage() + "); check that it is a certificate and key "
                            + "for TLS (RSA 2048+ or EC) and that the JDK supports " + tls.protocols(), e);
        }
    }

    public SslContext server() {
        return server;
    }

    public SslContext client() {
        return client;
    }

    // ---- reading files ----

    private static void requireReadable(String setting, Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new TlsConfigurationException(setting, file.toString(), "must name an existing file holding " + what
                    + "; " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new TlsConfigurationException(setting, file.toString(), "cannot be read by this user; "
                    + "make it readable (and a private key readable by no one else: chmod 600)");
        }
    }

    private static String text(String setting, Path file, String what) {
        requireReadable(setting, file, what);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigurationException(setting, file.toString(), "cannot be read as PEM text (" + e
                    + "); it must hold " + what, e);
        }
    }

    private static List<X509Certificate> certificates(String setting, Path file) {
        String pem = text(setting, file, "PEM certificates (-----BEGIN CERTIFICATE-----)");
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Matcher m = PEM.matcher(pem);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(
                            Base64.getMimeDecoder().decode(m.group(2)))));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new TlsConfigurationException(setting, file.toString(), "holds a malformed certificate (" + e.getMessage()
                    + "); it must hold PEM X.509 certificates, e.g. from keytool -exportcert -rfc", e);
        }
        if (certs.isEmpty()) {
            throw new TlsConfigurationException(setting, file.toString(), "holds no PEM certificate "
                    + "(-----BEGIN CERTIFICATE-----); export one with keytool -exportcert -rfc or openssl x509");
        }
        return Collections.unmodifiableList(certs);
    }

    private static PrivateKey privateKey(Path file) {
        String pem = text("private-key", file, "a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new TlsConfigurationException("private-key", file.toString(),
                    "holds no PEM block; it must hold a PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        String type = m.group(1);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        PKCS8EncodedKeySpec spec;
        switch (type) {
            case "PRIVATE KEY" -> spec = new PKCS8EncodedKeySpec(der);
            case "ENCRYPTED PRIVATE KEY" -> throw new TlsConfigurationException("private-key", file.toString(),
                    "is encrypted; store it unencrypted with file mode 0600 (openssl pkcs8 -topk8 -nocrypt -in KEY "
                            + "-out key.pk8.pem), or put key and certificate in a PKCS12 key-store with key-store-password");
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new TlsConfigurationException("private-key", file.toString(),
                    "holds a traditional OpenSSL key (" + type + "), not PKCS#8; " + TO_PKCS8);
            default -> throw new TlsConfigurationException("private-key", file.toString(),
                    "holds a " + type + ", not a PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
        }
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new TlsConfigurationException("private-key", file.toString(),
                "holds a key that is not RSA, EC or EdDSA, or is malformed; make an RSA or EC key");
    }

    private static KeyStore.PrivateKeyEntry keyStoreEntry(Path file, String password) {
        requireReadable("key-store", file, "a PKCS12 key store");
        KeyStore ks;
        try (InputStream in = Files.newInputStream(file)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException("key-store", file.toString(), "cannot be opened as a PKCS12 key store ("
                    + e.getMessage() + "); check the file and tls.key-store-password", e);
        }
        try {
            KeyStore.PrivateKeyEntry found = null;
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    if (found != null) {
                        throw new TlsConfigurationException("key-store", file.toString(),
                                "holds more than one private key; keep only this process's key in it");
                    }
                    found = (KeyStore.PrivateKeyEntry) ks.getEntry(alias,
                            new KeyStore.PasswordProtection(password.toCharArray()));
                }
            }
            if (found == null) {
                throw new TlsConfigurationException("key-store", file.toString(),
                        "holds no private key; it must hold this process's key and certificate chain");
            }
            return found;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("key-store", file.toString(), "has a key that cannot be read ("
                    + e.getMessage() + "); check tls.key-store-password", e);
        }
    }

    /** Signs a nonce with the key and verifies it with the certificate's public key. */
    private static void requireMatch(PrivateKey key, X509Certificate cert, TlsSettings tls) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign without a separate digest
        };
        boolean matches;
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(nonce);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(nonce);
            matches = v.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsConfigurationException("private-key", tls.privateKey().toString(),
                    "does not belong to the certificate " + tls.certificate() + " (subject "
                            + cert.getSubjectX500Principal().getName() + "); name the key the certificate was made for");
        }
    }
}
