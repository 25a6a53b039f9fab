package io.procactor.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.procactor.ActorProcess;
import io.procactor.ActorRef;
import io.procactor.ActorSystem;
import io.procactor.Props;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Node to child messaging over the Unix socket, over loopback TCP and over loopback TCP with
 * mutual TLS ({@code procactor.transport.tls}), on one host: ask round trip with one in flight,
 * and tell throughput. The TLS files (an EC P-256 cluster CA and a node certificate) are made
 * with the JDK's keytool in a temporary directory. Run with {@code bin/procactor bench tls}.
 * One instance, one thread.
 */
public final class TlsBenchmark {
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final String PASSWORD = "bench-pass";
    private final PrintStream out;

    public TlsBenchmark(PrintStream out) {
        this.out = out;
    }

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("procactor-tls-bench");
        String tls = certificates(dir);
        measure("unix socket (auto)", ConfigFactory.parseString("procactor.transport.kind = auto"));
        measure("tcp 127.0.0.1", ConfigFactory.parseString("procactor.transport.kind = tcp"));
        measure("tcp 127.0.0.1 + mutual TLS 1.3", ConfigFactory.parseString("procactor.transport.kind = tcp\n" + tls));
    }

    private void measure(String label, Config config) throws Exception {
        try (ActorSystem system = ActorSystem.create("bench-tls", config)) {
            ActorProcess echoProc = system.spawnProcess(Props.create(Doubler.class), "echo");
            ActorRef echo = echoProc.ref();
            for (int i = 0; i < 20_000; i++) {
                echo.ask(i, LONG).get(); // warm up
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < 50_000; i++) {
                long t0 = System.nanoTime();
                echo.ask(i, LONG).get();
                h.recordValue(System.nanoTime() - t0);
            }
            out.printf("%-32s ask round trip (50000, one in flight): p50 %.1f us, p99 %.1f us%n", label,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3);

            ActorRef sink = system.spawnProcess(Props.create(Sink.class), "sink").ref();
            int n = 1_000_000;
            sink.ask("count?", LONG).get();
            double best = 0;
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink.tell(i);
                }
                long target = (round + 1L) * n;
                while (sink.<Long>ask("count?", LONG).get() < target) {
                    Thread.onSpinWait();
                }
                double rate = n / ((System.nanoTime() - t0) / 1e9);
                if (round > 0) { // the first round warms up
                    best = Math.max(best, rate);
                }
            }
            out.printf("%-32s tell node -> child, 1M Integer messages: %.0f msgs/s (best of 3)%n", label, best);
        }
    }

    /** Makes a CA and a node certificate; returns the HOCON that turns TLS on with them. */
    private static String certificates(Path dir) throws Exception {
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path node = dir.resolve("node.p12");
        Path csr = dir.resolve("node.csr");
        Path crt = dir.resolve("node.crt.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=bench-ca",
                "-ext", "bc:c", "-validity", "1", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=bench-node",
                "-validity", "1", "-keystore", node.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "node", "-keystore", node.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD, "-infile", csr.toString(),
                "-outfile", crt.toString(), "-validity", "1", "-ext", "eku=serverAuth,clientAuth");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(node)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("node", PASSWORD.toCharArray());
        Path keyPem = dir.resolve("node.key.pem");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64,
                "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return "procactor.transport.tls { enabled = on, certificate = \"" + crt + "\", private-key = \"" + keyPem
                + "\", trust = \"" + caPem + "\" }";
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + cmd + "\n" + text);
        }
    }
}
