package io.procactor.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures a floor: a 1-byte ping-pong over a Unix domain socket between this JVM and a
 * {@link FloorMain} process, both ends blocking ({@code block}: the cost of a socket plus two
 * thread wake-ups) or both busy-polling a non-blocking socket ({@code spin}: the socket alone).
 * Figures: round-trip percentiles, and as the floor's throughput the rate of one ping-pong at a
 * time at the median round trip (1 / p50): the mean rate would mostly measure how often the
 * machine preempts a spinning thread.
 *
 * <p>Threading: called on the benchmark thread.
 */
final class FloorBench {
    /**
     * A round stops early after this long: on a machine busier than its cores, a busy-polling
     * thread is preempted for whole scheduler slices and a fixed count could take minutes.
     */
    private static final long MAX_ROUND_NANOS = TimeUnit.SECONDS.toNanos(3);

    private FloorBench() {
    }

    static Floor measure(Bench bench, FloorMain.Mode mode, Rounds into) throws Exception {
        String name = mode.arg();
        Rounds.Figure p50 = new Rounds.Figure("floor_" + name + "_rtt_p50", "us", Kind.P50);
        Rounds.Figure p99 = new Rounds.Figure("floor_" + name + "_rtt_p99", "us", Kind.P99);
        Rounds.Figure p999 = new Rounds.Figure("floor_" + name + "_rtt_p999", "us", Kind.P999);
        Rounds.Figure rate = new Rounds.Figure("floor_" + name + "_rate_p50", "roundtrips/s", Kind.THROUGHPUT);
        Scale scale = bench.scale;
        bench.section("floor " + name + ": 1-byte ping-pong over a Unix socket with a FloorMain process, "
                + (mode == FloorMain.Mode.BLOCK ? "blocking reads (two thread wake-ups per round trip)" : "both ends busy-polling a non-blocking socket")
                + ", " + scale.floorRoundTrips() + " round trips per round");
        Path dir = Files.createTempDirectory("procactor-floor");
        Path sock = dir.resolve("floor.sock");
        Process echo = null;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            echo = new ProcessBuilder(javaExecutable(), "-XX:+UseSerialGC", "-cp", ownClassPath(),
                    FloorMain.class.getName(), sock.toString(), mode.arg())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (SocketChannel c = accept(server, echo)) {
                c.configureBlocking(mode == FloorMain.Mode.BLOCK);
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                for (int w = 0; w < Math.max(1, scale.warmups()); w++) {
                    round(c, b, scale.floorRoundTrips());
                }
                for (int r = 0; r < scale.rounds(); r++) {
                    Histogram h = round(c, b, scale.floorRoundTrips());
                    into.add(p50, h.getValueAtPercentile(50) / 1e3);
                    into.add(p99, h.getValueAtPercentile(99) / 1e3);
                    into.add(p999, h.getValueAtPercentile(99.9) / 1e3);
                    into.add(rate, 1e9 / h.getValueAtPercentile(50));
                }
            }
            if (!echo.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the floor's echo process did not exit after its socket closed");
            }
        } finally {
            if (echo != null) {
                echo.destroyForcibly();
            }
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
        return new Floor(name, median(into, p50), median(into, p99), median(into, p999), median(into, rate));
    }

    /** Up to {@code n} ping-pongs (fewer if {@link #MAX_ROUND_NANOS} runs out), their round trips in nanoseconds. */
    private static Histogram round(SocketChannel c, ByteBuffer b, int n) throws IOException {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long end = System.nanoTime() + MAX_ROUND_NANOS;
        for (int i = 0; i < n && (i < 100 || System.nanoTime() < end); i++) {
            long t0 = System.nanoTime();
            FloorMain.pingPong(c, b);
            h.recordValue(System.nanoTime() - t0);
        }
        return h;
    }

    private static double median(Rounds r, Rounds.Figure f) {
        return Rounds.median(r.all().get(f));
    }

    /** Accepts the echo process's connection, failing if the process dies first. */
    private static SocketChannel accept(ServerSocketChannel server, Process echo) throws IOException, InterruptedException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + Bench.LONG.toNanos();
        while (System.nanoTime() < deadline) {
            SocketChannel c = server.accept();
            if (c != null) {
                return c;
            }
            if (!echo.isAlive()) {
                throw new IllegalStateException("the floor's echo process exited with " + echo.exitValue() + " before connecting");
            }
            Thread.sleep(1); // polling a local accept during a JVM start: 1 ms is nothing next to ~100 ms
        }
        throw new IllegalStateException("the floor's echo process did not connect within " + Bench.LONG);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where this class was loaded from (the samples jar or its classes directory): all FloorMain needs. */
    static String ownClassPath() throws URISyntaxException {
        return Path.of(FloorMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
