package io.procactor.cluster.netns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for the namespace tests, made with the JDK's keytool (as runtime's TestCertificates
 * does): a cluster CA, one node certificate it signed (both ends of a ping present it: a member is
 * whoever holds a key the cluster CA certified) and a stranger's self-signed certificate, all as
 * the PEM files {@code procactor.transport.tls} takes. Five keytool runs. Not thread-safe.
 *
 * @param clusterCa PEM of the cluster CA
 * @param node      PEM certificate and key of a node of the cluster
 * @param stranger  PEM certificate and key not signed by the cluster CA
 */
record NetnsPki(Path clusterCa, Pair node, Pair stranger) {
    private static final String PASSWORD = "test-pass";

    /** A certificate file and its PKCS#8 key file. */
    record Pair(Path certificate, Path privateKey) {
    }

    static NetnsPki make(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        Path node = dir.resolve("node.p12");
        Path stranger = dir.resolve("stranger.p12");
        Path csr = dir.resolve("node.csr");
        Path nodeCert = dir.resolve("node.crt.pem");
        genkeypair(ca, "ca", "CN=netns-cluster-ca", "-ext", "bc:c");
        genkeypair(node, "key", "CN=netns-node");
        genkeypair(stranger, "key", "CN=netns-stranger");
        keytool("-certreq", "-alias", "key", "-keystore", node.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD,
                "-infile", csr.toString(), "-outfile", nodeCert.toString(), "-validity", "2",
                "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth,clientAuth");
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, pem("CERTIFICATE", load(ca).getCertificate("ca").getEncoded()));
        Path strangerCert = dir.resolve("stranger.crt.pem");
        Certificate self = load(stranger).getCertificate("key");
        Files.writeString(strangerCert, pem("CERTIFICATE", self.getEncoded()));
        return new NetnsPki(caPem, new Pair(nodeCert, keyPem(node, dir.resolve("node.key.pem"))),
                new Pair(strangerCert, keyPem(stranger, dir.resolve("stranger.key.pem"))));
    }

    private static void genkeypair(Path store, String alias, String dname, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
        args.addAll(List.of(more));
        keytool(args.toArray(String[]::new));
    }

    private static Path keyPem(Path store, Path out) throws Exception {
        PrivateKey key = (PrivateKey) load(store).getKey("key", PASSWORD.toCharArray());
        Files.writeString(out, pem("PRIVATE KEY", key.getEncoded()));
        Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return out;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.add("-J-XX:+UseSerialGC");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + cmd + "\n" + out);
        }
    }
}
