package io.procactor.transport;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Mutual TLS for TCP connections ({@code procactor.transport.tls}): this process's certificate
 * and private key (two PEM files, or one PKCS12 key store) and the certificates it trusts (the
 * cluster CA, PEM). Both sides present a certificate and each verifies the other's against the
 * trust; a peer without one, or with one the cluster CA did not sign, is refused during the TLS
 * handshake, before any frame. Unix domain sockets never use TLS: they are same-host and guarded
 * by file permissions and the handshake token; TLS applies to {@link TransportKind#TCP} only.
 *
 * <p>Host names are not verified: a cluster member is whoever holds a key whose certificate the
 * cluster CA signed, whatever address it connects from (addresses come from the coordinator and
 * change with containers and DHCP). That makes the CA the membership list, so it must be one made
 * for the cluster, never a public or company-wide CA.
 *
 * @param enabled            whether TCP connections use TLS
 * @param certificate        PEM file: this process's X.509 certificate, then its issuers; null when {@code keyStore} is used
 * @param privateKey         PEM file: the certificate's unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY});
 *                           null when {@code keyStore} is used
 * @param keyStore           PKCS12 file holding one private key and its certificate chain; null when PEM files are used
 * @param keyStorePassword   password of the key store (and of its key); empty for none
 * @param trust              PEM file of the CA certificate(s) a peer's certificate must chain to
 * @param protocols          TLS versions allowed: {@code TLSv1.3} and/or {@code TLSv1.2}
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the key-store password.
 */
public record TlsSettings(boolean enabled, Path certificate, Path privateKey, Path keyStore, String keyStorePassword,
                          Path trust, List<String> protocols) {
    /** TLS off: the default. */
    public static final TlsSettings DISABLED = new TlsSettings(false, null, null, null, "", null, List.of("TLSv1.3"));
    /** The versions {@link #protocols} may name; older ones have known weaknesses. */
    public static final Set<String> SUPPORTED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    public TlsSettings {
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols"));
        if (enabled) {
            requireUsable(certificate, privateKey, keyStore, trust, protocols);
        }
    }

    private static void requireUsable(Path certificate, Path privateKey, Path keyStore, Path trust, List<String> protocols) {
        if (protocols.isEmpty()) {
            throw new TlsConfigurationException("protocols", "[]", "must name at least one of TLSv1.3, TLSv1.2");
        }
        for (String p : protocols) {
            if (!SUPPORTED_PROTOCOLS.contains(p)) {
                throw new TlsConfigurationException("protocols", protocols.toString(),
                        "may only name TLSv1.3 and TLSv1.2 (older versions are broken); [" + p + "] is not one of them");
            }
        }
        if (trust == null) {
            throw new TlsConfigurationException("trust", "", "must name the PEM file of the cluster CA certificate");
        }
        if (keyStore != null && (certificate != null || privateKey != null)) {
            throw new TlsConfigurationException("key-store", keyStore.toString(),
                    "and certificate/private-key are alternatives: set either key-store or both certificate and private-key");
        }
        if (keyStore == null && certificate == null) {
            throw new TlsConfigurationException("certificate", "",
                    "must name this process's PEM certificate file (or set key-store to a PKCS12 file)");
        }
        if (keyStore == null && privateKey == null) {
            throw new TlsConfigurationException("private-key", "",
                    "must name the PEM file of the certificate's PKCS#8 private key");
        }
    }

    /** TLS with a PEM certificate chain, its PKCS#8 private key (unencrypted) and a PEM trust file. */
    public static TlsSettings pem(Path certificate, Path privateKey, Path trust) {
        return new TlsSettings(true, certificate, privateKey, null, "", trust, List.of("TLSv1.3"));
    }

    /** TLS with a PKCS12 key store and a PEM trust file. */
    public static TlsSettings keyStore(Path keyStore, String keyStorePassword, Path trust) {
        return new TlsSettings(true, null, null, keyStore, keyStorePassword, trust, List.of("TLSv1.3"));
    }

    public TlsSettings withProtocols(List<String> newProtocols) {
        return new TlsSettings(enabled, certificate, privateKey, keyStore, keyStorePassword, trust, newProtocols);
    }

    /**
     * Reads every file and checks that the key and the certificate belong together, as
     * {@link Transport#create} would.
     *
     * @throws TlsConfigurationException naming the setting, the value and the fix
     */
    public void check() {
        if (enabled) {
            io.procactor.transport.internal.TlsContexts.load(this);
        }
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "TlsSettings[disabled]";
        }
        return "TlsSettings[" + (keyStore != null ? "key-store=" + keyStore
                : "certificate=" + certificate + ", private-key=" + privateKey)
                + (keyStorePassword.isEmpty() ? "" : ", key-store-password=****") + ", trust=" + trust + ", protocols=" + protocols + "]";
    }
}
