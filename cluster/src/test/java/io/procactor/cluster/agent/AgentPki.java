package io.procactor.cluster.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS material for the agent tests, made with the JDK's keytool: a cluster CA and one member
 * certificate it signed, which the node, the agents and their children all present (a member is
 * whoever holds a key the cluster CA certified). Four keytool runs. Not thread-safe.
 */
record AgentPki(Path ca, Path certificate, Path privateKey) {
    private static final String PASSWORD = "test-pass";

    static AgentPki make(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        Path member = dir.resolve("member.p12");
        Path csr = dir.resolve("member.csr");
        Path cert = dir.resolve("member.crt.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=agent-test-ca",
                "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-ext", "bc:c");
        keytool("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=agent-test-member",
                "-validity", "2", "-keystore", member.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "key", "-keystore", member.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-infile", csr.toString(),
                "-outfile", cert.toString(), "-validity", "2", "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth,clientAuth");
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, pem("CERTIFICATE", load(ca).getCertificate("ca").getEncoded()));
        Path key = dir.resolve("member.key.pem");
        Files.writeString(key, pem("PRIVATE KEY", ((PrivateKey) load(member).getKey("key", PASSWORD.toCharArray())).getEncoded()));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return new AgentPki(caPem, cert, key);
    }

    /** {@code procactor.transport.tls} with these files. */
    String hocon() {
        return "procactor.transport.tls { enabled = on, certificate = \"" + certificate + "\", private-key = \"" + privateKey
                + "\", trust = \"" + ca + "\" }\n";
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
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
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
