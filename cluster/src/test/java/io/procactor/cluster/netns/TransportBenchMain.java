package io.procactor.cluster.netns;

import io.procactor.transport.Connection;
import io.procactor.transport.Credentials;
import io.procactor.transport.Endpoint;
import io.procactor.transport.Inbound;
import io.procactor.transport.TlsSettings;
import io.procactor.transport.Transport;
import io.procactor.transport.TransportKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A participant measuring procactor's transport (real Kryo framing, token handshake, TLS where
 * asked) against a {@link TlsPingMain} server. Arguments: {@code KIND TARGET CERT KEY TRUST
 * TOKEN-HEX ROUNDS ASKS TELLS}, KIND one of {@code tls}, {@code tcp} (TARGET {@code address:port})
 * or {@code unix} (TARGET the socket path). After one round of warm-up it reports per round
 * <pre>
 * ROUND kind round asks p50-us p99-us tells tells-per-second
 * </pre>
 * an ask being one {@code Long} sent and the same one back, one in flight; tells being {@code Long}s
 * sent as fast as the connection takes them (waiting while it is not writable), timed until the
 * server's count of them comes back. Then {@code DONE}, or {@code FAILED reason}; then it quits.
 *
 * <p>Threading: the main thread; the transport's event loop only hands replies over a queue.
 */
public final class TransportBenchMain {
    private static final Long TELL = -1L;

    private TransportBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        ParticipantIo.refuseRootNamespace();
        String kind = args[0];
        TlsSettings tls = kind.equals("tls") ? TlsSettings.pem(Path.of(args[2]), Path.of(args[3]), Path.of(args[4]))
                : TlsSettings.DISABLED;
        Credentials token = Credentials.fromHex(args[5]);
        int rounds = Integer.parseInt(args[6]);
        int asks = Integer.parseInt(args[7]);
        int tells = Integer.parseInt(args[8]);
        Endpoint target;
        TransportKind transportKind;
        if (kind.equals("unix")) {
            target = Endpoint.unix(Path.of(args[1]));
            transportKind = TransportKind.AUTO;
        } else {
            int colon = args[1].lastIndexOf(':');
            target = Endpoint.tcp(args[1].substring(0, colon), Integer.parseInt(args[1].substring(colon + 1)));
            transportKind = TransportKind.TCP;
        }
        try (Transport transport = TlsPingMain.transport(transportKind, tls, "bench-" + kind + "-" + ProcessHandle.current().pid())) {
            BlockingQueue<Object> replies = new ArrayBlockingQueue<>(16);
            Connection c = transport.connect(target, token, new Inbound() {
                @Override
                public void onMessage(Connection connection, Object message) {
                    replies.add(message);
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                }
            }).get(TlsPingMain.HANDSHAKE.toMillis() * 2, TimeUnit.MILLISECONDS);
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                long[] nanos = asks(c, replies, asks);
                double perSecond = tells(c, replies, tells);
                if (round > 0) {
                    ParticipantIo.report(String.format(Locale.ROOT, "ROUND %s %d %d %d %d %d %.0f", kind, round, asks,
                            nanos[asks / 2] / 1000, nanos[Math.min(asks - 1, (int) (asks * 0.99))] / 1000, tells, perSecond));
                }
            }
            c.close();
            ParticipantIo.report("DONE");
        } catch (Exception e) {
            ParticipantIo.report("FAILED " + e.toString().replace('\n', ' '));
        }
        System.exit(0);
    }

    /** {@code count} sequential asks; their round trips in ns, sorted. */
    private static long[] asks(Connection c, BlockingQueue<Object> replies, int count) throws InterruptedException {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            Long ask = (long) i;
            long start = System.nanoTime();
            c.send(ask);
            Object back = replies.poll(10, TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - start;
            if (!ask.equals(back)) {
                throw new IllegalStateException("ask " + i + " came back as " + back);
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** {@code count} tells as fast as the connection takes them; tells per second until the server counted them all. */
    private static double tells(Connection c, BlockingQueue<Object> replies, int count) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (!c.isWritable() && !c.awaitWritable(10_000)) {
                throw new IllegalStateException("the connection stayed unwritable for 10 s after " + i + " tells");
            }
            c.send(TELL);
        }
        c.send(TlsPingMain.COUNT_TELLS);
        Object counted = replies.poll(60, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        if (!Long.valueOf(count).equals(counted)) {
            throw new IllegalStateException("the server counted " + counted + " tells of " + count);
        }
        return count * 1e9 / elapsed;
    }
}
